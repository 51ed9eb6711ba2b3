import YimaRecords
import YimaStore

extension TraceService {
    /// Runs the domain rules (质量有保障) for `event` against its batch's history.
    func checkRules(_ event: Event, batch: BatchState, signer: Party) throws(ServiceError) {
        guard event.previous.bytes == batch.headID else {
            throw .rejected("chain link: prev must be the batch's latest record \(Hex.encode(batch.headID))",
                            zh: "哈希链错误：prev 应为该批次最新记录 \(Hex.encode(batch.headID))")
        }
    }
}
