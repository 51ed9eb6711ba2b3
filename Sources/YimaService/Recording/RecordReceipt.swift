import YimaCrypto
import YimaRecords
import YimaStore

/// What a write gives back to its caller: the record as stored, its id and its place
/// in the log. Callers outside the service see this, never the store's row.
public struct RecordReceipt: Sendable {
    public let id: RecordID
    /// The record's leaf index in the Merkle log.
    public let logIndex: Int64
    public let record: Record

    public init(_ stored: StoredRecord, _ record: Record) {
        id = RecordID(payloadID: stored.id)
        logIndex = stored.sequence
        self.record = record
    }

    /// Decodes the stored envelope again: for writes that return only the row.
    public init(_ stored: StoredRecord) throws(ServiceError) {
        let envelope: Envelope
        do { envelope = try Envelope(encoded: stored.envelope) } catch { throw .envelope(error) }
        let record: Record
        do { record = try Record(payload: envelope.payload) } catch { throw .record(error) }
        self.init(stored, record)
    }
}

extension RecordID {
    /// A stored record's id: the store keeps the 32 bytes of the payload's SHA-256,
    /// which always parse.
    init(payloadID bytes: [UInt8]) {
        self = RecordID(hex: Hex.encode(bytes))!
    }
}
