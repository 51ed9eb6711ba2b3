import YimaCrypto
import YimaRecords
import YimaStore

/// One record of an EPCIS upload batch (docs/upload.md §EPCIS body): its log position,
/// id and kind, and the EPCIS event it is, if it is one.
struct EPCISUploadRecord {
    let sequence: Int64
    let id: RecordID
    let kind: Record.Kind
    /// The event exactly as `yima export epcis` writes it; nil for a party, product,
    /// batch or key record, which EPCIS has no event for.
    let event: EPCISJSON?
}

extension EPCISExchange {
    /// The records at log positions `range`, in log order, each event mapped by the
    /// export's own mapping over its batch's chain (so its eventID is the one the
    /// batch's export shows).
    func uploadRecords(positions range: ClosedRange<Int64>) throws(ServiceError) -> [EPCISUploadRecord] {
        var chains: [String: [RecordID: EPCISJSON]] = [:]
        var out: [EPCISUploadRecord] = []
        for entry in try LoggedRecord.read(range.lowerBound..<(range.upperBound + 1), from: reader.log) {
            let (sequence, envelope, record) = (entry.sequence, entry.envelope, entry.record)
            guard case .event(let event) = record else {
                out.append(EPCISUploadRecord(sequence: sequence, id: envelope.recordID, kind: record.kind, event: nil))
                continue
            }
            let key = event.batch.key
            if chains[key] == nil {
                let (batch, events) = try Self.chain(try reader.history(try reader.requireBatch(event.batch)))
                let mapped = EPCISExport(batch: batch, events: events).mapped()
                chains[key] = Dictionary(zip(events.map(\.id), mapped), uniquingKeysWith: { first, _ in first })
            }
            guard let mapped = chains[key]?[envelope.recordID] else {
                throw .store(.ledger("log entry \(sequence) is not in its batch's chain"))
            }
            out.append(EPCISUploadRecord(sequence: sequence, id: envelope.recordID, kind: .event, event: mapped))
        }
        return out
    }
}
