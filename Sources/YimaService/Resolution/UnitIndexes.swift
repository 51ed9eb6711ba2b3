import Dispatch
import Synchronization
import YimaStore

/// The unit indexes (`UnitIndex`) of the batches the server answers for, each with
/// the containers of the batch's units at one chain head. Loaded off the request
/// path, on a queue of their own, the first time a batch is asked for and again when
/// its units or head move; until a load completes, lookups read the store.
final class UnitIndexes: Sendable {
    struct Entry: Sendable {
        let units: UnitIndex
        /// The head the containers were read at (packing is an event, so it moves the head).
        let headID: [UInt8]
        /// The scan recorder's `forgottenGeneration` before the units were read.
        let generation: Int
        let containers: [String: String]
    }

    private enum Slot: Sendable {
        case ready(Entry)
        /// Not indexed at this unit count (unpackable serials, or over the memory budget).
        case declined(unitCount: Int)
    }

    private struct State: Sendable {
        var slots: [String: Slot] = [:]
        var loading: Set<String> = []
        var heldUnits = 0
    }

    let store: any UnitStore
    /// Most units held across all batches.
    let capacity: Int
    let observer: any ResolverObserver
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "yima.unit-index", qos: .utility)

    init(units: any UnitStore, capacity: Int, observer: any ResolverObserver) {
        store = units
        self.capacity = capacity
        self.observer = observer
    }

    /// The batch's index if it matches `batch` exactly (unit count and head) and was
    /// read at the scan recorder's `generation`; else nil, and a load starts unless
    /// one runs or the batch was declined at this count.
    func entry(for batch: BatchState, generation: Int) -> Entry? {
        enum Decision { case use(Entry), readStore, load(reusing: Entry?) }
        let decision: Decision = state.withLock { state in
            switch state.slots[batch.key] {
            case .ready(let entry)? where entry.units.unitCount == batch.unitCount && entry.headID == batch.headID
                                          && entry.generation == generation:
                return .use(entry)
            case .declined(let count)? where count == batch.unitCount:
                return .readStore
            case let slot:
                guard capacity > 0, state.loading.insert(batch.key).inserted else { return .readStore }
                if case .ready(let entry)? = slot { return .load(reusing: entry) }
                return .load(reusing: nil)
            }
        }
        switch decision {
        case .use(let entry): return entry
        case .readStore: return nil
        case .load(let previous):
            queue.async { [self] in build(batch, reusing: previous, generation: generation) }
            return nil
        }
    }

    /// Loads the batch's index now, on the caller's thread (tests; warming up).
    func loadNow(_ batch: BatchState, generation: Int = 0) {
        let previous: Entry? = state.withLock { state in
            state.loading.insert(batch.key)
            if case .ready(let entry)? = state.slots[batch.key] { return entry }
            return nil
        }
        build(batch, reusing: previous, generation: generation)
    }

    private func build(_ batch: BatchState, reusing previous: Entry?, generation: Int) {
        defer { _ = state.withLock { $0.loading.remove(batch.key) } }
        do {
            let started = ContinuousClock.now
            // Units are append-only: the same count means the same units (and the
            // same stored-scan bits, unless the scan recorder's generation moved).
            let units: UnitIndex?
            if let previous, previous.units.unitCount == batch.unitCount, previous.generation == generation {
                units = previous.units
            } else {
                let held = state.withLock { $0.heldUnits } - (previous?.units.unitCount ?? 0)
                units = held + batch.unitCount <= capacity ? try UnitIndex.load(gtin: batch.gtin, lot: batch.lot, from: store) : nil
            }
            // The store may have moved on since `batch` was read: keep what was read,
            // labelled with what it matches, so the next lookup sees the difference.
            guard let units, units.unitCount == batch.unitCount else {
                state.withLock { $0.slots[batch.key] = .declined(unitCount: batch.unitCount) }
                if units == nil { observer.unitIndexDeclined(batch: batch.key, units: batch.unitCount) }
                return
            }
            let entry = Entry(units: units, headID: batch.headID, generation: generation,
                              containers: try store.containers(gtin: batch.gtin, lot: batch.lot))
            let held = state.withLock { state in
                if case .ready(let old)? = state.slots[batch.key] { state.heldUnits -= old.units.unitCount }
                state.heldUnits += units.unitCount
                state.slots[batch.key] = .ready(entry)
                return state.heldUnits
            }
            let elapsed = ContinuousClock.now - started
            observer.unitIndexLoaded(batch: batch.key, units: units.unitCount, containers: entry.containers.count,
                                     milliseconds: elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000,
                                     heldUnits: held)
        } catch {
            observer.unitIndexFailed(batch: batch.key, error: error)
        }
    }
}
