import Synchronization
import YimaStore

/// Batch states (head, counts) as last read, reused for up to `maxAge`: a lookup
/// need not read the store to learn that the batch did not change. Writes through
/// this server invalidate their batch at once; writes by other processes (the CLI)
/// show within `maxAge`. A zero `maxAge` reads the store on every lookup.
final class BatchStateCache: Sendable {
    let maxAge: Duration
    private let entries = Mutex<[String: (state: BatchState, readAt: ContinuousClock.Instant)]>([:])
    /// Real batches only are kept (a made-up code's batch is read each time), and
    /// at most this many.
    private let capacity = 100_000

    init(maxAge: Duration) { self.maxAge = maxAge }

    func state(key: String, read: () throws(ServiceError) -> BatchState?) throws(ServiceError) -> BatchState? {
        let now = ContinuousClock.now
        if maxAge > .zero, let known = entries.withLock({ $0[key] }), now - known.readAt < maxAge { return known.state }
        guard let state = try read() else { return nil }
        remember(state, key: key, at: now)
        return state
    }

    /// A state read elsewhere (with a unit, in one statement).
    func remember(_ state: BatchState, key: String, at time: ContinuousClock.Instant = .now) {
        guard maxAge > .zero else { return }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (state, time)
        }
    }

    func invalidate(_ key: String) { _ = entries.withLock { $0.removeValue(forKey: key) } }
}
