import Foundation
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// The server's Prometheus metrics (`GET /metrics`, text exposition format 0.0.4).
/// The registry is the server's own, so several servers (tests) can run in one
/// process; `yima serve` also bootstraps swift-metrics with it.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let scansWritten: Counter
    let scanFlushFailures: Counter
    let scanFlushDuration: DurationHistogram
    let cacheHits: Counter
    let cacheMisses: Counter
    let lookupDuration: DurationHistogram
    let indexLookups: Counter
    let pipelineLookups: Counter
    let indexedUnits: Gauge
    let replicaLagBytes: Gauge
    let replicaLagSeconds: Gauge
    let replicaReadsOnPrimary: Gauge
    private let verdictCounters: [String: Counter]
    /// Per-route instances, made once: asking the registry for a labelled metric
    /// on every request builds label strings and takes the registry's lock.
    private let requestCounters = Mutex([RouteStatus: Counter]())
    private let durationHistograms = Mutex([String: DurationHistogram]())

    struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        scansWritten = registry.makeCounter(descriptor: Self.name("scans_written", "total", "Scans written to the store"))
        scanFlushFailures = registry.makeCounter(descriptor: Self.name("scan_flush_failures", "total", "Failed scan flushes (retried)"))
        scanFlushDuration = registry.makeDurationHistogram(
            descriptor: Self.name("scan_flush", "seconds", "Time to write one batch of scans"),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .seconds(1)])
        cacheHits = registry.makeCounter(descriptor: Self.name("chain_cache_hits", "total", "Lookups answered from the batch cache"))
        cacheMisses = registry.makeCounter(descriptor: Self.name("chain_cache_misses", "total", "Lookups that assembled the chain from the store"))
        lookupDuration = registry.makeDurationHistogram(
            descriptor: Self.name("lookup", "seconds", "Time to answer a code lookup"),
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                      .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250)])
        indexLookups = registry.makeCounter(descriptor: Self.name("unit_index_lookups", "total", "Lookups answered by a batch's in-memory unit index"))
        pipelineLookups = registry.makeCounter(descriptor: Self.name("pipeline_lookups", "total", "Lookups answered in the channel pipeline, without a request task"))
        indexedUnits = registry.makeGauge(descriptor: Self.name("indexed_units", "", "Issued units held in memory by the unit indexes"))
        replicaLagBytes = registry.makeGauge(descriptor: Self.name("replica_lag", "bytes", "WAL bytes the read replica has not replayed (-1: unreadable)"))
        replicaLagSeconds = registry.makeGauge(descriptor: Self.name("replica_lag", "seconds", "How long the read replica has been behind (-1: unreadable)"))
        replicaReadsOnPrimary = registry.makeGauge(descriptor: Self.name("replica_reads_on_primary", "", "Reads sent to the primary until the replica replayed this server's writes"))
        var verdicts: [String: Counter] = [:]
        for verdict in ["genuine", "forged", "not-issued", "malformed", "key-not-valid"] {
            verdicts[verdict] = registry.makeCounter(descriptor: Self.name("lookups", "total", "Code lookups by verdict"),
                                                     labels: [("verdict", verdict)])
        }
        verdictCounters = verdicts
    }

    func lookup(_ verdict: String) { verdictCounters[verdict]?.increment() }

    func requests(status: Int, route: String) -> Counter {
        let key = RouteStatus(route: route, status: status)
        if let counter = requestCounters.withLock({ $0[key] }) { return counter }
        let counter = makeRequestCounter(status: status, route: route)
        requestCounters.withLock { $0[key] = counter }
        return counter
    }

    func requestDuration(route: String) -> DurationHistogram {
        if let histogram = durationHistograms.withLock({ $0[route] }) { return histogram }
        let histogram = makeRequestDuration(route: route)
        durationHistograms.withLock { $0[route] = histogram }
        return histogram
    }

    private func makeRequestCounter(status: Int, route: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests by route and status"),
                             labels: [("route", route), ("status", String(status))])
    }

    private func makeRequestDuration(route: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request", "seconds", "HTTP request duration by route"), labels: [("route", route)],
            buckets: [.microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "yima", metricName: metric, unitName: unit, helpText: help)
    }

    var text: String { registry.emitToString() }
}
