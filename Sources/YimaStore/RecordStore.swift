/// The signed records and the indexes their effects keep: what every use case that
/// reads or writes history needs, and nothing about units, scans or PINs.
///
/// Writes are atomic: each call commits whole or not at all. Records are append-only:
/// nothing is updated or deleted (a correction is a new record), and nothing expires,
/// which more than meets the two-year retention of production records.
public protocol RecordStore: Sendable {
    /// Appends one record and its index entries. For events, `expectedHead` must be
    /// the batch's current head id, so concurrent writers cannot fork a chain.
    func append(_ record: NewRecord, expectedHead: [UInt8]?) throws(StoreError) -> StoredRecord

    /// Appends several records in order in ONE transaction: all are stored or none.
    func appendAll(_ records: [(record: NewRecord, expectedHead: [UInt8]?)]) throws(StoreError) -> [StoredRecord]

    func record(id: [UInt8]) throws(StoreError) -> StoredRecord?
    func records(batchKey: String) throws(StoreError) -> [StoredRecord]
    /// The batch's records stored after log position `sequence`, in order.
    func records(batchKey: String, after sequence: Int64) throws(StoreError) -> [StoredRecord]
    func records(kind: RecordKind) throws(StoreError) -> [StoredRecord]
    func recordCount() throws(StoreError) -> Int64
    /// The record that registered the party owning `keyID`.
    func partyRecord(forKey keyID: String) throws(StoreError) -> StoredRecord?
    func partyRecord(id: String) throws(StoreError) -> StoredRecord?
    func productRecord(gtin: String) throws(StoreError) -> StoredRecord?
    func batch(key: String) throws(StoreError) -> BatchState?
    /// The batches `owner` owns, by key.
    func batches(owner: String) throws(StoreError) -> [BatchState]
    /// The log position of the latest party or key record (-1 if none): the
    /// registry's version. Caches of key status compare it (docs/trust-list.md).
    func registryVersion() throws(StoreError) -> Int64
    /// Records noted with `RecordEffect.notice` of `type`, in log order.
    func notices(type: String) throws(StoreError) -> [StoredRecord]
}
