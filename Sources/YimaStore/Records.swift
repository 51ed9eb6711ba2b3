/// What kind of record an envelope holds; the store indexes by it.
public enum RecordKind: String, Sendable, CaseIterable {
    case party, product, batch, event
    /// A key rotation or revocation (registry, like `party`).
    case key
}

/// One signed record as stored: its place in the append-only log, its id (SHA-256 of
/// the payload), and the canonical envelope bytes exactly as signed and received.
public struct StoredRecord: Sendable, Hashable {
    /// 0-based position in the log; also its leaf index in the Merkle tree.
    public let sequence: Int64
    public let id: [UInt8]
    public let kind: RecordKind
    /// `GTIN/LOT` for batch and event records.
    public let batchKey: String?
    public let signerKeyID: String
    public let envelope: [UInt8]
    /// When the store accepted it (Unix seconds); the signed time is inside the payload.
    public let recordedAt: Int64

    public init(sequence: Int64, id: [UInt8], kind: RecordKind, batchKey: String?, signerKeyID: String, envelope: [UInt8],
                recordedAt: Int64) {
        self.sequence = sequence
        self.id = id
        self.kind = kind
        self.batchKey = batchKey
        self.signerKeyID = signerKeyID
        self.envelope = envelope
        self.recordedAt = recordedAt
    }
}

/// A record to append, with the index entries its kind implies. The service fills
/// these from the decoded, verified record; the store only keeps them consistent.
public struct NewRecord: Sendable {
    public var id: [UInt8]
    public var kind: RecordKind
    public var batchKey: String?
    public var signerKeyID: String
    public var envelope: [UInt8]
    public var effects: [RecordEffect]

    public init(id: [UInt8], kind: RecordKind, batchKey: String? = nil, signerKeyID: String,
                envelope: [UInt8], effects: [RecordEffect] = []) {
        self.id = id
        self.kind = kind
        self.batchKey = batchKey
        self.signerKeyID = signerKeyID
        self.envelope = envelope
        self.effects = effects
    }
}

/// Index entries a record brings with it, written in the same transaction.
public enum RecordEffect: Sendable, Hashable {
    /// A party and the keys it signs with.
    case registerParty(id: String, keyIDs: [String])
    /// A product, by GTIN.
    case defineProduct(gtin: String, owner: String)
    /// A batch (lot) of a product, owned by a party; its record starts the batch's chain.
    case createBatch(key: String, gtin: String, lot: String, owner: String, time: String)
    /// An event moves the batch's chain head; `time` is the signed event time (RFC 3339).
    case advanceBatch(key: String, time: String)
    /// `child` (a unit code path or an SSCC) is packed into `parent` (an SSCC).
    case pack(child: String, parent: String)
    /// A key rotated in: `keyID` now signs for party `id`.
    case addPartyKey(id: String, keyID: String)
    /// An event others must find without reading chains (a recall, a certificate),
    /// listed by type and batch.
    case notice(type: String, batchKey: String, owner: String)
    /// An external trace code now names the batch (or its unit `serial`); refused
    /// with `duplicateAlias` if the code names anything already.
    case assignAlias(code: String, batchKey: String, serial: String?)
}

/// The head of a batch's hash chain and who owns the batch.
public struct BatchState: Sendable, Hashable {
    public let key: String
    public let gtin: String
    public let lot: String
    public let owner: String
    /// Id of the batch's latest record (the batch record itself before any event).
    public let headID: [UInt8]
    /// Signed time of the latest record.
    public let headTime: String
    public let eventCount: Int
    public let unitCount: Int

    public init(key: String, gtin: String, lot: String, owner: String, headID: [UInt8], headTime: String, eventCount: Int,
                unitCount: Int) {
        self.key = key
        self.gtin = gtin
        self.lot = lot
        self.owner = owner
        self.headID = headID
        self.headTime = headTime
        self.eventCount = eventCount
        self.unitCount = unitCount
    }
}

/// One issued unit code as stored: enough to re-check its signature and find its batch.
public struct StoredUnit: Sendable, Hashable {
    public let gtin: String
    public let lot: String
    public let serial: String
    public let keyID: String
    public let signature: [UInt8]
    public let issuedAt: Int64
    /// At issuance only: the keyed hash of the unit's hidden PIN (`StoredPin.hash`),
    /// stored with the unit in the same transaction. Never read back here.
    public var pinHash: [UInt8]?

    public init(gtin: String, lot: String, serial: String, keyID: String, signature: [UInt8], issuedAt: Int64,
                pinHash: [UInt8]? = nil) {
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.keyID = keyID
        self.signature = signature
        self.issuedAt = issuedAt
        self.pinHash = pinHash
    }
}

/// What the store knows about a scanned unit, read in one snapshot.
public struct UnitLookup: Sendable {
    public let unit: StoredUnit?
    public let batch: BatchState?
    public let container: String?
    /// The unit's scan summary, when asked for with the lookup (`ScanStore`).
    public let scans: ScanSummary?

    public init(unit: StoredUnit?, batch: BatchState?, container: String?, scans: ScanSummary? = nil) {
        self.unit = unit
        self.batch = batch
        self.container = container
        self.scans = scans
    }
}
