/// Where an external trace code (an alias assigned by a provincial or national
/// platform, docs/records.md §External trace codes) points: a batch, or one unit of it.
public struct AliasTarget: Sendable, Hashable {
    public let code: String
    /// `GTIN/LOT`.
    public let batchKey: String
    /// The unit's serial when the alias names one unit.
    public let serial: String?
    /// The log position of the record that assigned it.
    public let recordSequence: Int64

    public init(code: String, batchKey: String, serial: String?, recordSequence: Int64) {
        self.code = code
        self.batchKey = batchKey
        self.serial = serial
        self.recordSequence = recordSequence
    }
}

/// External trace codes, indexed by `RecordEffect.assignAlias` as their records are
/// appended: one target per code, for ever.
public protocol AliasStore: Sendable {
    func alias(code: String) throws(StoreError) -> AliasTarget?
    /// The aliases of a batch (its own and its units'), in log order.
    func aliases(batchKey: String) throws(StoreError) -> [AliasTarget]
}
