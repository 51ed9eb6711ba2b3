import Synchronization

/// A small least-recently-used map, safe to share between requests.
public final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var entries: [Key: (value: Value, tick: UInt64)] = [:]
        var tick: UInt64 = 0
    }
    private let state = Mutex(State())
    let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public func get(_ key: Key) -> Value? {
        state.withLock { state in
            guard let found = state.entries[key] else { return nil }
            state.tick &+= 1
            state.entries[key] = (found.value, state.tick)
            return found.value
        }
    }

    public func set(_ key: Key, _ value: Value) {
        state.withLock { state in
            state.tick &+= 1
            state.entries[key] = (value, state.tick)
            if state.entries.count > capacity {
                // Drop the oldest eighth at once, so eviction stays rare.
                let drop = max(1, capacity / 8)
                let oldest = state.entries.sorted { $0.value.tick < $1.value.tick }.prefix(drop).map(\.key)
                for key in oldest { state.entries.removeValue(forKey: key) }
            }
        }
    }

    public var count: Int { state.withLock { $0.entries.count } }
}
