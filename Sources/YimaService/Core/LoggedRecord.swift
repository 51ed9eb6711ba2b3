import YimaRecords
import YimaStore

/// A log entry read back as what it carries: the signed envelope and its record
/// (docs/envelope.md), at its log position. The exporters and uploaders read the
/// log in order through this, so every one of them treats an entry that does not
/// decode the same way: as a fault of the ledger, never as a record to skip.
struct LoggedRecord {
    let sequence: Int64
    let envelope: Envelope
    let record: Record

    /// The entries at log positions `range`, in log order.
    static func read(_ range: Range<Int64>, from log: any TransparencyLog) throws(ServiceError) -> [LoggedRecord] {
        guard !range.isEmpty else { return [] }
        let entries = try ServiceError.reading { try log.entries(range) }
        var records: [LoggedRecord] = []
        records.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            let sequence = range.lowerBound + Int64(offset)
            do {
                let envelope = try Envelope(encoded: entry)
                records.append(LoggedRecord(sequence: sequence, envelope: envelope, record: try Record(payload: envelope.payload)))
            } catch {
                throw .store(.ledger("log entry \(sequence) does not decode: \(error)"))
            }
        }
        return records
    }
}
