import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Recalls (产品可召回, docs/records.md §Event `recall`): a recall is an event on the
/// batch's chain, signed by the batch owner or a regulator (rule `role`), so the
/// resolver's per-head caches see it like any other event.
public struct Recalls: Sendable {
    let recording: Recording
    let reader: RecordReader
    let units: any UnitStore

    /// Recalls a batch, or only `units` of it, signed with `key`.
    @discardableResult
    public func recall(batch reference: BatchReference, units: [String] = [], reason: String, action: String,
                       key: PrivateKey) throws(ServiceError) -> StoredRecord {
        let state = try reader.requireBatch(reference)
        return try recording.submit(try recallEnvelope(state, units: units, reason: reason, action: action, key: key))
    }

    /// Recalls every batch of `party` with an event dated in `from...until`, all in
    /// one transaction: every batch is recalled, or none.
    @discardableResult
    public func recall(party: String, from: String, until: String, reason: String, action: String,
                       key: PrivateKey) throws(ServiceError) -> [StoredRecord] {
        let window: ClosedRange<Instant>
        do {
            let start = try Timestamp(from, field: "from"), end = try Timestamp(until, field: "until")
            guard start <= end else { throw ServiceError.invalidArgument(.untilBeforeFrom) }
            window = start.instant...end.instant
        } catch { throw ServiceError.wrap(error) }
        var accepted: [(record: NewRecord, expectedHead: [UInt8]?)] = []
        for batch in try ServiceError.reading({ try reader.records.batches(owner: party) }) {
            let dated = try reader.history(batch).contains { decoded in
                if case .event(let event) = decoded.record { return window.contains(event.time.instant) }
                return false
            }
            guard dated else { continue }
            let envelope = try recallEnvelope(batch, units: [], reason: reason, action: action, key: key)
            let result = try recording.accept(envelope)
            accepted.append((result.record, result.expectedHead))
        }
        guard !accepted.isEmpty else {
            throw .notFound(.recallNoBatches, ["party": party, "from": from, "until": until])
        }
        do { return try reader.records.appendAll(accepted) } catch { throw .store(error) }
    }

    private func recallEnvelope(_ batch: BatchState, units: [String], reason: String, action: String,
                                key: PrivateKey) throws(ServiceError) -> Envelope {
        var data: [String: JSONValue] = ["reason": .string(reason), "action": .string(action)]
        if !units.isEmpty { data["units"] = .array(units.map(JSONValue.string)) }
        let draft: JSONValue = .object([
            "type": .string(EventType.recall.rawValue),
            "batch": .object(["gtin": .string(batch.gtin), "lot": .string(batch.lot)]),
            "time": .string(recording.clock.timestamp()),
            "data": .object(data),
        ])
        return try recording.sign(draft: draft, kind: .event, key: key, head: RecordID(hex: Hex.encode(batch.headID)))
    }
}
