import Foundation
import YimaLedger

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
}

/// One issued unit code as stored: enough to re-check its signature and find its batch.
public struct StoredUnit: Sendable, Hashable {
    public let gtin: String
    public let lot: String
    public let serial: String
    public let keyID: String
    public let signature: [UInt8]
    public let issuedAt: Int64

    public init(gtin: String, lot: String, serial: String, keyID: String, signature: [UInt8], issuedAt: Int64) {
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.keyID = keyID
        self.signature = signature
        self.issuedAt = issuedAt
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

/// Persistence behind one protocol, so the service layer runs unchanged on the
/// embedded SQLite store and on a PostgreSQL one for scale-out.
///
/// Writes are atomic: each call commits whole or not at all. Records are append-only:
/// nothing is updated or deleted (a correction is a new record), and nothing expires,
/// which more than meets the two-year retention of production records.
public protocol TraceStore: Sendable {
    /// Appends one record and its index entries. For events, `expectedHead` must be
    /// the batch's current head id, so concurrent writers cannot fork a chain.
    func append(_ record: NewRecord, expectedHead: [UInt8]?) throws(StoreError) -> StoredRecord

    /// Appends several records in order in ONE transaction: all are stored or none.
    func appendAll(_ records: [(record: NewRecord, expectedHead: [UInt8]?)]) throws(StoreError) -> [StoredRecord]

    /// Appends a unit-issuance event and writes its unit codes in one transaction.
    /// `produce` is called repeatedly for the next rows until it returns an empty
    /// array; a thrown error or a crash leaves neither the event nor any unit stored.
    func issueUnits(_ record: NewRecord, expectedHead: [UInt8]?,
                    produce: () throws -> [StoredUnit]) throws -> (record: StoredRecord, units: Int)

    func record(id: [UInt8]) throws(StoreError) -> StoredRecord?
    func records(batchKey: String) throws(StoreError) -> [StoredRecord]
    /// The batch's records stored after log position `sequence`, in order.
    func records(batchKey: String, after sequence: Int64) throws(StoreError) -> [StoredRecord]
    /// One read for a scanned unit: its row, its batch's state and its container.
    func lookupUnit(gtin: String, lot: String, serial: String) throws(StoreError) -> UnitLookup
    func records(kind: RecordKind) throws(StoreError) -> [StoredRecord]
    func recordCount() throws(StoreError) -> Int64
    /// The id of the record that registered the party owning `keyID`.
    func partyRecord(forKey keyID: String) throws(StoreError) -> StoredRecord?
    func partyRecord(id: String) throws(StoreError) -> StoredRecord?
    func productRecord(gtin: String) throws(StoreError) -> StoredRecord?
    func batch(key: String) throws(StoreError) -> BatchState?
    func unit(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredUnit?
    /// The container `child` was packed into, if any.
    func container(of child: String) throws(StoreError) -> String?
    /// The log position of the latest party or key record (-1 if none): the
    /// registry's version. Caches of key status compare it (docs/trust-list.md).
    func registryVersion() throws(StoreError) -> Int64
    /// Records noted with `RecordEffect.notice` of `type`, in log order.
    func notices(type: String) throws(StoreError) -> [StoredRecord]
    /// The contents packed into `parent` (unit code paths `GTIN/LOT/SERIAL` or SSCCs).
    func contents(of parent: String) throws(StoreError) -> [String]
    /// Per batch, what happened between Unix times `from` and `until` (inclusive):
    /// codes issued, scans and copy warnings (units last scanned then), first PIN
    /// verifications, recalls and certificates stored.
    func activity(from: Int64, until: Int64, copyWarningClients: Int) throws(StoreError) -> [BatchActivity]
    /// Scans per calendar day (at `utcOffsetSeconds`), each device's scans of a unit
    /// counted on the day it first scanned it (the store keeps per-device totals).
    func dailyScans(from: Int64, until: Int64, utcOffsetSeconds: Int) throws(StoreError) -> [DailyScans]
    /// The batches `owner` owns, by key.
    func batches(owner: String) throws(StoreError) -> [BatchState]
    /// The serials issued for a batch, in order (also `ScanStore`'s).
    func serials(gtin: String, lot: String) throws(StoreError) -> [String]
    /// Up to `limit` of a batch's units in serial order, after `serial` (from the first
    /// when nil): label printing pages through a batch in flat memory.
    func units(gtin: String, lot: String, after serial: String?, limit: Int) throws(StoreError) -> [StoredUnit]
    /// Every unit with this serial, in any batch: a typed short code names only the serial.
    func units(serial: String) throws(StoreError) -> [StoredUnit]
}

/// The Merkle log over the store's records (leaf n = record n's envelope bytes).
public protocol TransparencyLog: Sendable {
    func treeSize() throws(StoreError) -> Int64
    /// The RFC 9162 Merkle Tree Hash of the first `size` records.
    func treeHash(size: Int64) throws(StoreError) -> TreeHash
    func inclusionProof(leaf: Int64, treeSize: Int64) throws(StoreError) -> InclusionProof
    func consistencyProof(oldSize: Int64, newSize: Int64) throws(StoreError) -> ConsistencyProof
    /// Stored hashes by storage index (`StoredHashes`), in one read: what hash tiles serve.
    func logHashes(_ indexes: [Int64]) throws(StoreError) -> [TreeHash]
    /// The entries (envelope bytes) of leaves `range`, in order: what entry bundles serve.
    func entries(_ range: Range<Int64>) throws(StoreError) -> [[UInt8]]
}
