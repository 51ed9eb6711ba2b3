import Synchronization

/// Counts events per key in a sliding window (PIN attempts per unit and per
/// client). Memory is bounded: keys whose events all left the window are dropped
/// whenever the table grows past `maximumKeys`.
final class RateLimiter: Sendable {
    let window: Duration
    let maximumKeys: Int
    private let events = Mutex([String: [ContinuousClock.Instant]]())

    init(window: Duration, maximumKeys: Int = 100_000) {
        self.window = window
        self.maximumKeys = maximumKeys
    }

    /// Events for `key` within the window.
    func count(_ key: String, now: ContinuousClock.Instant = .now) -> Int {
        events.withLock { table in
            let recent = (table[key] ?? []).filter { now - $0 < window }
            table[key] = recent.isEmpty ? nil : recent
            return recent.count
        }
    }

    /// Seconds until the oldest event of `key` leaves the window.
    func retryAfter(_ key: String, now: ContinuousClock.Instant = .now) -> Int {
        events.withLock { table in
            guard let oldest = table[key]?.first else { return 1 }
            return max(1, Int((window - (now - oldest)).components.seconds) + 1)
        }
    }

    func add(_ key: String, now: ContinuousClock.Instant = .now) {
        events.withLock { table in
            table[key, default: []].append(now)
            if table.count > maximumKeys {
                table = table.filter { entry in entry.value.contains { now - $0 < window } }
            }
        }
    }
}
