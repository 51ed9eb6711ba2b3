import Hummingbird
import NIOCore
import Synchronization
import YimaRecords
import YimaService

/// `GET|HEAD /healthz` for load balancers and `GET /metrics` for Prometheus
/// (docs/api.md §Operations).
struct OperationsRoutes: Sendable {
    let resolver: CodeResolver
    let scans: ScanRecorder
    let metrics: ServerMetrics
    /// The read replica, when lookups read from one: its lag is read at each scrape.
    let replication: Replication?
    let storeCheck = StoreCheck()

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in try health() }
        router.on("/healthz", method: .head) { _, _ in try health() }
        router.get("/metrics") { _, _ in
            if let replication {
                let lag = replication.lag()
                metrics.replicaLagBytes.set(lag?.bytes ?? -1)
                metrics.replicaLagSeconds.set(lag?.seconds ?? -1)
                metrics.replicaReadsOnPrimary.set(lag?.readsOnPrimary ?? 0)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.text)))
        }
    }

    func health() throws -> Response {
        if !storeCheck.isFresh() {
            do { try resolver.checkStore() } catch { throw APIError.unavailable }
            storeCheck.passed()
        }
        return JSONResponse.make(.ok, .object(["status": .string("ok"), "pending_scans": .integer(Int64(scans.pendingCount))]))
    }
}

/// When the store last answered a health check: probes under load (every few
/// milliseconds from a balancer) need not each read SQLite; one read a second
/// still notices a store that went away.
final class StoreCheck: Sendable {
    static let validity: Duration = .seconds(1)
    private let lastPass = Mutex<ContinuousClock.Instant?>(nil)

    func isFresh(now: ContinuousClock.Instant = .now) -> Bool {
        lastPass.withLock { last in last.map { now - $0 < Self.validity } ?? false }
    }

    func passed(now: ContinuousClock.Instant = .now) { lastPass.withLock { $0 = now } }
}
