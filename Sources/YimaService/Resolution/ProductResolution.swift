import Synchronization
import YimaCodes
import YimaRecords
import YimaStore

/// What a product's Digital Link (`/01/{gtin}`) resolves to: the signed product
/// record, its owner's registration, and the product's batches, newest first.
public struct ProductResolution: Sendable {
    public let gtin: String
    /// The signed product record, if the product is registered.
    public let product: ChainEntry?
    /// The registration of the party that defined the product (or owns its batches).
    public let owner: ChainEntry?
    /// The product's batches, newest first, at most `ProductResolution.listedBatches`.
    public let batches: [ProductBatch]
    /// How many batches the product has in all.
    public let batchCount: Int

    /// Most batches a product answer lists.
    public static let listedBatches = 50
}

/// One batch of a product as the product page lists it: no unit, no history.
public struct ProductBatch: Sendable, Hashable {
    public let lot: String
    public let owner: String
    public let season: String
    public let place: String
    /// When the store accepted the batch record (Unix seconds).
    public let recordedAt: Int64
    /// Whether a recall of the whole batch is recorded.
    public let recalled: Bool
}

/// The store's batch records by product, kept until the log grows: listing a
/// product's batches reads every batch record, so it is done once per log size (and
/// at most once per `maxAge`), decoding only records not seen before.
final class ProductBatchIndex: Sendable {
    struct Listed: Sendable {
        let sequence: Int64
        let batch: ProductBatch
    }

    private struct State {
        var logSize: Int64 = -1
        var checkedAt: ContinuousClock.Instant?
        var byGTIN: [String: [Listed]] = [:]
        var seen: Set<Int64> = []
        var recalledBatches: Set<String> = []
        var seenNotices: Set<Int64> = []
    }

    let maxAge: Duration
    private let state = Mutex(State())

    init(maxAge: Duration) { self.maxAge = maxAge }

    /// The product's batches, newest first, brought up to date with the store.
    func batches(gtin: String, records: any RecordStore) throws(ServiceError) -> [ProductBatch] {
        let now = ContinuousClock.now
        let fresh = state.withLock { state -> [ProductBatch]? in
            guard let checked = state.checkedAt, maxAge > .zero, now - checked < maxAge else { return nil }
            return Self.listed(state, gtin: gtin)
        }
        if let fresh { return fresh }
        let size = try ServiceError.reading { try records.recordCount() }
        if let current = state.withLock({ state -> [ProductBatch]? in
            guard state.logSize == size else { return nil }
            state.checkedAt = now
            return Self.listed(state, gtin: gtin)
        }) { return current }

        let stored = try ServiceError.reading { try records.records(kind: .batch) }
        let notices = try ServiceError.reading { try records.notices(type: EventType.recall.rawValue) }
        let (seen, seenNotices) = state.withLock { ($0.seen, $0.seenNotices) }
        var added: [(String, Listed)] = []
        for record in stored where !seen.contains(record.sequence) {
            guard case .batch(let batch) = try RecordReader.decode(record).record else { continue }
            added.append((batch.gtin.rawValue, Listed(sequence: record.sequence, batch: ProductBatch(
                lot: batch.lot.rawValue, owner: batch.owner.rawValue, season: batch.season, place: batch.origin.place,
                recordedAt: record.recordedAt, recalled: false))))
        }
        var recalled: [String] = []
        for notice in notices where !seenNotices.contains(notice.sequence) {
            let decoded = try RecordReader.decode(notice)
            guard case .event(let event) = decoded.record,
                  let recall = RecallNotice(event, recordID: decoded.envelope.recordID), recall.units.isEmpty else { continue }
            recalled.append(recall.batch.key)
        }
        return state.withLock { state in
            for (gtin, listed) in added where !state.seen.contains(listed.sequence) {
                state.seen.insert(listed.sequence)
                state.byGTIN[gtin, default: []].append(listed)
            }
            state.seenNotices.formUnion(notices.map(\.sequence))
            state.recalledBatches.formUnion(recalled)
            state.logSize = size
            state.checkedAt = now
            return Self.listed(state, gtin: gtin)
        }
    }

    private static func listed(_ state: State, gtin: String) -> [ProductBatch] {
        (state.byGTIN[gtin] ?? []).sorted { $0.sequence > $1.sequence }.map { listed in
            let batch = listed.batch
            guard state.recalledBatches.contains(BatchKey(gtin: gtin, lot: batch.lot).description) else { return batch }
            return ProductBatch(lot: batch.lot, owner: batch.owner, season: batch.season, place: batch.place,
                                recordedAt: batch.recordedAt, recalled: true)
        }
    }
}
