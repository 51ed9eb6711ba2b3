import Foundation

/// How the lookup server runs (`yima serve` options; docs/api.md §Running).
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder of the Mustache templates (`lookup.mustache`, …).
    public var templates: String
    /// Above this many distinct clients scanning one code, the page warns that the
    /// code may have been copied.
    public var copyWarningClients = 5
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a
    /// reverse proxy that sets it).
    public var trustForwardedFor = false
    /// Largest request body accepted (bytes); larger gets 413.
    public var bodyLimit = 64 * 1024
    /// Longest request target (path and query) accepted; longer gets 414.
    public var maximumTargetLength = 4096
    /// Scan writes are batched: flushed every `scanFlushInterval`, or sooner once
    /// `scanFlushBatch` scans wait. The interval bounds what a power cut can lose;
    /// the batch only caps a flush under heavy load, where larger batches cost less
    /// per scan (docs/benchmarks.md, `yima-bench scans`).
    public var scanFlushInterval: Duration = .milliseconds(250)
    public var scanFlushBatch = 10_000
    /// Idle keep-alive connections are closed after this long.
    public var idleTimeout: Duration = .seconds(30)
    /// A request's handler is given up after this long (503).
    public var requestTimeout: Duration = .seconds(10)
    /// Wrong-PIN budget: per unit and per client within `pinWindow`.
    public var pinAttemptsPerUnit = 5
    public var pinAttemptsPerClient = 20
    public var pinWindow: Duration = .seconds(15 * 60)
    /// Report budget (`/api/v1/report`, public aggregates): requests per client
    /// within `reportWindow`, then 429 with Retry-After.
    public var reportRequestsPerClient = 30
    public var reportWindow: Duration = .seconds(60)
    /// Batches whose rendered chain is kept in memory.
    public var cachedBatches = 256
    /// Units whose verdict and scan state are kept in memory.
    public var cachedUnits = 100_000
    /// How stale a batch's state (head, unit count) may be when a lookup uses it:
    /// records and units added by other processes (the CLI) show within this time;
    /// those written through this server's API show at once. Zero reads the store
    /// on every lookup.
    public var batchStateMaxAge: Duration = .seconds(1)
    /// Most units held in memory by the unit indexes (about 21 bytes each, so the
    /// default is about 420 MB at most); batches beyond it are answered from the
    /// store, as are all with 0.
    public var indexedUnits = 20_000_000
    /// Time zone for times shown on the page.
    public var displayTimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current

    public init(templates: String) {
        self.templates = templates
    }
}
