import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import YimaService

/// Counts scans off the request path: a scan updates an in-memory summary of its
/// unit and joins a queue that is written to the store in one transaction every
/// `interval`, or sooner once `batch` scans wait. On graceful shutdown (SIGTERM)
/// the queue is written before the service ends, after the HTTP server has
/// finished its requests, so a clean stop loses no scan.
///
/// A unit's summary is read from the store the first time the unit is scanned
/// since start; later scans are answered from memory. Memory is bounded: once more
/// than `capacity` units are held, those with nothing left to write are dropped.
public final class ScanRecorder: Service, Sendable {
    struct UnitKey: Hashable, Sendable {
        let gtin: String
        let lot: String
        let serial: String
    }

    struct UnitState: Sendable {
        var summary: ScanSummary
        /// The clients seen, while few enough to keep (nil beyond that: only the
        /// store knows exactly, and the warning is on anyway).
        var clients: Set<[UInt8]>?
        /// Scans queued but not yet written.
        var unflushed: Int
    }

    private struct State: Sendable {
        var units: [UnitKey: UnitState] = [:]
        var pending: [ScanObservation] = []
        var flushRequested = false
        /// Units dropped from `units` after their scans were written: the store has
        /// scans of them that a unit index read earlier does not know of. Bounded:
        /// past `forgottenLimit` the set is cleared and the generation moves, which
        /// retires every unit index read before (they are read again).
        var forgotten: Set<UnitKey> = []
        var forgottenGeneration = 0
    }

    let counting: ScanCounting
    let interval: Duration
    let batch: Int
    let capacity: Int
    /// How many client hashes a unit keeps in memory (above the warning threshold).
    let clientMemory: Int
    /// Most units remembered as forgotten (`hasForgotten`) before the memory is reset.
    let forgottenLimit: Int
    let logger: Logger
    let metrics: ServerMetrics?
    private let state = Mutex(State())
    private let flushing = Mutex(())
    private let flushQueue = DispatchQueue(label: "yima.scan-flush")

    public init(counting: ScanCounting, interval: Duration, batch: Int, capacity: Int, warningThreshold: Int,
                forgottenLimit: Int = 1_000_000, logger: Logger, metrics: ServerMetrics? = nil) {
        self.forgottenLimit = max(1, forgottenLimit)
        self.counting = counting
        self.interval = interval
        self.batch = max(1, batch)
        self.capacity = max(16, capacity)
        clientMemory = max(warningThreshold + 1, 32)
        self.logger = logger
        self.metrics = metrics
    }

    /// Whether the unit's summary is in memory (else the next scan needs the store's).
    func isTracking(gtin: String, lot: String, serial: String) -> Bool {
        let key = UnitKey(gtin: gtin, lot: lot, serial: serial)
        return state.withLock { $0.units[key] != nil }
    }

    /// Moves when the forgotten units are cleared: unit indexes read before a move
    /// do not know which units have stored scans.
    var forgottenGeneration: Int { state.withLock { $0.forgottenGeneration } }

    /// Whether the unit's summary was held and dropped since start (so the store has
    /// scans of it, whatever a unit index read before says).
    func hasForgotten(gtin: String, lot: String, serial: String) -> Bool {
        let key = UnitKey(gtin: gtin, lot: lot, serial: serial)
        return state.withLock { !$0.forgotten.isEmpty && $0.forgotten.contains(key) }
    }

    /// What the resolver learnt of the unit's stored scans, as a summary, if that is
    /// enough: read with the unit, or none when its index was read and the recorder
    /// has not written and forgotten any since.
    func known(_ stored: StoredScans, gtin: String, lot: String, serial: String) -> ScanSummary? {
        switch stored {
        case .read(let summary): summary
        case .noneWhenIndexed where !hasForgotten(gtin: gtin, lot: lot, serial: serial): ScanSummary()
        case .noneWhenIndexed, .unknown: nil
        }
    }

    /// Counts a scan of a unit by `client` (a keyed hash) and returns the unit's
    /// summary including it. `stored` is what the resolver learnt of the store's
    /// summary (with up to `clientMemory` clients).
    func record(gtin: String, lot: String, serial: String, client: [UInt8], time: Int64,
                stored: StoredScans = .unknown) throws(ServiceError) -> ScanSummary {
        let key = UnitKey(gtin: gtin, lot: lot, serial: serial)
        let observation = ScanObservation(gtin: gtin, lot: lot, serial: serial, client: client, time: time)
        if let summary = apply(observation, key: key, loaded: nil) { return summary }
        // First scan of this unit since start: read what the store knows, outside the lock.
        let stored = if let known = known(stored, gtin: gtin, lot: lot, serial: serial) { known } else {
            try counting.summary(gtin: gtin, lot: lot, serial: serial, clientLimit: clientMemory)
        }
        let clients: Set<[UInt8]>? = stored.distinctClients <= Int64(stored.clients.count) ? Set(stored.clients) : nil
        return apply(observation, key: key, loaded: UnitState(summary: stored, clients: clients, unflushed: 0))!
    }

    /// The unit's summary without counting (HEAD, PIN checks).
    func summary(gtin: String, lot: String, serial: String, stored: StoredScans = .unknown) throws(ServiceError) -> ScanSummary {
        let key = UnitKey(gtin: gtin, lot: lot, serial: serial)
        if let tracked = state.withLock({ $0.units[key]?.summary }) { return tracked }
        if let known = known(stored, gtin: gtin, lot: lot, serial: serial) { return known }
        return try counting.summary(gtin: gtin, lot: lot, serial: serial, clientLimit: 0)
    }

    private func apply(_ scan: ScanObservation, key: UnitKey, loaded: UnitState?) -> ScanSummary? {
        let (summary, full) = state.withLock { state -> (ScanSummary?, Bool) in
            guard var unit = state.units[key] ?? loaded else { return (nil, false) }
            unit.summary.count += 1
            unit.summary.firstScan = min(unit.summary.firstScan ?? scan.time, scan.time)
            unit.summary.lastScan = max(unit.summary.lastScan ?? scan.time, scan.time)
            if var clients = unit.clients, !clients.contains(scan.client) {
                unit.summary.distinctClients += 1
                clients.insert(scan.client)
                unit.clients = clients.count > clientMemory ? nil : clients
            }
            unit.unflushed += 1
            state.units[key] = unit
            state.pending.append(scan)
            let full = state.pending.count >= batch && !state.flushRequested
            if full { state.flushRequested = true }
            return (unit.summary, full)
        }
        if full {
            // The write waits on SQLite and fsync: it runs on its own queue, not on
            // one of the few threads that answer requests.
            flushQueue.async { [self] in self.flush() }
        }
        return summary
    }

    /// Writes every queued scan now. Serialised; on a store error the scans stay
    /// queued for the next attempt.
    public func flush() {
        flushing.withLock { _ in
            let taken = state.withLock { state -> [ScanObservation] in
                state.flushRequested = false
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            guard !taken.isEmpty else { return }
            let started = ContinuousClock.now
            do {
                try counting.record(taken)
            } catch {
                logger.error("scan flush failed; will retry", metadata: ["error": "\(error)", "scans": "\(taken.count)"])
                metrics?.scanFlushFailures.increment()
                state.withLock { $0.pending.insert(contentsOf: taken, at: 0) }
                return
            }
            metrics?.scansWritten.increment(by: Int64(taken.count))
            metrics?.scanFlushDuration.record(ContinuousClock.now - started)
            state.withLock { state in
                var written: [UnitKey: Int] = [:]
                for scan in taken { written[UnitKey(gtin: scan.gtin, lot: scan.lot, serial: scan.serial), default: 0] += 1 }
                for (key, count) in written { state.units[key]?.unflushed -= count }
                // Over capacity, drop down to three quarters (not just under it), so the
                // sweep, which holds the lock the request threads take, stays rare.
                if state.units.count > capacity {
                    let excess = state.units.count - capacity * 3 / 4
                    let dropped = state.units.lazy.filter { $0.value.unflushed == 0 }.prefix(excess).map(\.key)
                    for key in Array(dropped) {
                        state.units.removeValue(forKey: key)
                        state.forgotten.insert(key)
                    }
                    if state.forgotten.count > forgottenLimit {
                        state.forgotten.removeAll()
                        state.forgottenGeneration += 1
                    }
                }
            }
        }
    }

    /// `flush()` on the flush queue, awaited.
    private func flushOffPool() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            flushQueue.async { [self] in
                flush()
                done.resume()
            }
        }
    }

    /// Scans waiting to be written.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            await flushOffPool()
        }
        await flushOffPool()
        logger.info("scan recorder stopped; every scan written")
    }
}
