/// Issued unit codes and what they are packed into: issuance writes them, the
/// resolver, label printing and the rules read them.
public protocol UnitStore: Sendable {
    /// Writes a unit issuance's unit codes, with the PIN hash of each unit that
    /// carries one (`StoredUnit.pinHash`), then appends its event, in one transaction.
    /// `produce` is called repeatedly for the next rows until it returns an empty
    /// array; only then is `record` called for the event, so that the event can
    /// commit to the units stored with it (docs/issuance-commitment.md). A thrown
    /// error, a stale `expectedHead` or a crash leaves neither the event nor any unit
    /// or PIN stored.
    func issueUnits(batchKey: String, expectedHead: [UInt8]?, produce: () throws -> [StoredUnit],
                    record: () throws -> NewRecord) throws -> (record: StoredRecord, units: Int)

    func unit(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredUnit?
    /// One read for a scanned unit: its row, its batch's state and its container.
    func lookupUnit(gtin: String, lot: String, serial: String) throws(StoreError) -> UnitLookup
    /// The serials issued for a batch, in order.
    func serials(gtin: String, lot: String) throws(StoreError) -> [String]
    /// Up to `limit` of a batch's units in serial order, after `serial` (from the first
    /// when nil): label printing pages through a batch in flat memory.
    func units(gtin: String, lot: String, after serial: String?, limit: Int) throws(StoreError) -> [StoredUnit]
    /// Every unit with this serial, in any batch: a typed short code names only the serial.
    func units(serial: String) throws(StoreError) -> [StoredUnit]
    /// Every unit issued for a batch, in serial order, read in one snapshot, with
    /// whether the store holds scans of it: what the resolver's unit index holds.
    func forEachIssuedUnit(gtin: String, lot: String, _ body: (IssuedUnitRow) -> Void) throws(StoreError)

    /// The container `child` (a unit path `GTIN/LOT/SERIAL` or an SSCC) was packed into, if any.
    func container(of child: String) throws(StoreError) -> String?
    /// The contents packed into `parent` (unit paths `GTIN/LOT/SERIAL` or SSCCs).
    func contents(of parent: String) throws(StoreError) -> [String]
    /// The containers (carton, pallet) holding units of a batch: serial → container.
    func containers(gtin: String, lot: String) throws(StoreError) -> [String: String]
}

extension UnitStore {
    /// Issues units with an event known beforehand (one that commits to no unit set).
    public func issueUnits(_ record: NewRecord, expectedHead: [UInt8]?,
                           produce: () throws -> [StoredUnit]) throws -> (record: StoredRecord, units: Int) {
        guard let batchKey = record.batchKey else { throw StoreError.unknownBatch("(none)") }
        return try issueUnits(batchKey: batchKey, expectedHead: expectedHead, produce: produce, record: { record })
    }
}

/// One issued unit as `UnitStore.forEachIssuedUnit` reads it.
public struct IssuedUnitRow: Sendable {
    public let serial: String
    public let keyID: String
    public let signature: [UInt8]
    public let issuedAt: Int64
    public let hasScans: Bool

    public init(serial: String, keyID: String, signature: [UInt8], issuedAt: Int64, hasScans: Bool) {
        self.serial = serial
        self.keyID = keyID
        self.signature = signature
        self.issuedAt = issuedAt
        self.hasScans = hasScans
    }
}
