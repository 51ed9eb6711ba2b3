import Synchronization
import YimaRecords

/// The key registry built from the store, kept until the registry's version (the
/// log position of its latest party or key record) moves.
final class RegistryCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        let registry: KeyRegistry
        let checkedAt: ContinuousClock.Instant
    }

    private let entry = Mutex<Entry?>(nil)

    /// The cached registry if its version was confirmed less than `maxAge` ago.
    func fresh(maxAge: Duration) -> Entry? {
        entry.withLock { entry in
            guard let entry, ContinuousClock.now - entry.checkedAt < maxAge else { return nil }
            return entry
        }
    }

    /// The registry at `version`, rebuilt with `build` only if the version moved.
    func registry(version: Int64, build: () throws -> KeyRegistry) rethrows -> Entry {
        if let cached = entry.withLock({ $0 }), cached.version == version {
            let confirmed = Entry(version: version, registry: cached.registry, checkedAt: .now)
            entry.withLock { $0 = confirmed }
            return confirmed
        }
        let built = Entry(version: version, registry: try build(), checkedAt: .now)
        entry.withLock { $0 = built }
        return built
    }
}
