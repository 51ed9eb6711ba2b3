import Foundation
import Hummingbird
import Logging
import Prometheus

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
    private let verdictCounters: [String: Counter]

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
        var verdicts: [String: Counter] = [:]
        for verdict in ["genuine", "forged", "not-issued", "malformed"] {
            verdicts[verdict] = registry.makeCounter(descriptor: Self.name("lookups", "total", "Code lookups by verdict"),
                                                     labels: [("verdict", verdict)])
        }
        verdictCounters = verdicts
    }

    func lookup(_ verdict: String) { verdictCounters[verdict]?.increment() }

    func requests(status: Int, route: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests by route and status"),
                             labels: [("route", route), ("status", String(status))])
    }

    func requestDuration(route: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request", "seconds", "HTTP request duration by route"), labels: [("route", route)],
            buckets: [.microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "yima", metricName: metric, unitName: unit, helpText: help)
    }

    var text: String { registry.emitToString() }
}
