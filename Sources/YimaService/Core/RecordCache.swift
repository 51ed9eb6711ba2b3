import Synchronization
import YimaRecords
import YimaStore

/// A stored record decoded once: its envelope and its typed record.
public struct DecodedRecord: Sendable {
    public let stored: StoredRecord
    public let envelope: Envelope
    public let record: Record
    /// What failed when the record was checked against the log on load, if anything.
    public var integrity: IntegrityFailure? = nil
}

/// Decoded records the service reads again and again: batch histories, products and
/// the parties behind keys. Stored records never change (the store is append-only),
/// so a decoded record stays right forever; a batch's history is extended with just
/// the records appended since it was cached, found by the batch's head. Bounded, so
/// a server looking up millions of units keeps flat memory.
final class RecordCache: Sendable {
    struct History: Sendable {
        let headID: [UInt8]
        let records: [DecodedRecord]
    }

    private struct State {
        var histories: [String: History] = [:]
        var products: [String: DecodedRecord] = [:]
        var partiesByKey: [String: Party] = [:]
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    /// The batch's decoded history ending at `head`; loads only what is not cached.
    func history(batch: String, head: [UInt8],
                 load: (_ after: Int64) throws -> [DecodedRecord]) throws -> [DecodedRecord] {
        let cached = state.withLock { $0.histories[batch] }
        if let cached, cached.headID == head { return cached.records }
        let known = cached?.records ?? []
        let fresh = try load(known.last?.stored.sequence ?? -1)
        let records = known + fresh
        // Only a history that really ends at the head the caller saw is kept.
        if let last = records.last, last.envelope.recordID.bytes == head {
            state.withLock { state in
                if state.histories.count >= limit { state.histories.removeAll(keepingCapacity: true) }
                state.histories[batch] = History(headID: head, records: records)
            }
        }
        return records
    }

    func product(gtin: String, load: () throws -> DecodedRecord?) throws -> DecodedRecord? {
        if let cached = state.withLock({ $0.products[gtin] }) { return cached }
        guard let decoded = try load() else { return nil }
        state.withLock { state in
            if state.products.count >= limit { state.products.removeAll(keepingCapacity: true) }
            state.products[gtin] = decoded
        }
        return decoded
    }

    func party(forKey keyID: String, load: () throws -> StoredRecord?) throws -> Party? {
        if let cached = state.withLock({ $0.partiesByKey[keyID] }) { return cached }
        guard let stored = try load(), case .party(let party) = try Self.decode(stored).record else { return nil }
        state.withLock { state in
            if state.partiesByKey.count >= limit { state.partiesByKey.removeAll(keepingCapacity: true) }
            state.partiesByKey[keyID] = party
        }
        return party
    }

    static func decode(_ stored: StoredRecord) throws -> DecodedRecord {
        let envelope = try Envelope(encoded: stored.envelope)
        return DecodedRecord(stored: stored, envelope: envelope, record: try Record(payload: envelope.payload))
    }
}
