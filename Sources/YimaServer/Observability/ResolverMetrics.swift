import Logging
import YimaService

/// The resolver's events as the server's metrics and log lines.
struct ResolverMetrics: ResolverObserver {
    let metrics: ServerMetrics
    let logger: Logger

    func resolvedFromIndex() { metrics.indexLookups.increment() }
    func batchHistoryReused() { metrics.cacheHits.increment() }
    func batchHistoryBuilt() { metrics.cacheMisses.increment() }

    func unitIndexLoaded(batch: String, units: Int, containers: Int, milliseconds: Int64, heldUnits: Int) {
        metrics.indexedUnits.set(Int64(heldUnits))
        logger.info("unit index loaded", metadata: [
            "batch": "\(batch)", "units": "\(units)", "containers": "\(containers)", "ms": "\(milliseconds)",
        ])
    }

    func unitIndexDeclined(batch: String, units: Int) {
        logger.info("batch not indexed; its lookups read the store", metadata: ["batch": "\(batch)", "units": "\(units)"])
    }

    func unitIndexFailed(batch: String, error: any Error) {
        logger.warning("unit index not loaded; lookups read the store", metadata: ["batch": "\(batch)", "error": "\(error)"])
    }
}
