import Hummingbird
import YimaCrypto
import YimaService

/// `GET /api/v1/report?from=YYYY-MM-DD&until=YYYY-MM-DD&by=party|product|township`:
/// the authority's statistics as JSON (docs/report.md). Public aggregates only: no
/// unit, client or personal data, so no signature is asked for; each report reads
/// the store over the whole range, so each client gets `reportRequestsPerClient`
/// per `reportWindow` and then 429 with `Retry-After` (docs/report.md §Access).
struct ReportRoutes: Sendable {
    let reports: Reports
    let secret: ServerSecret
    let configuration: ServerConfiguration
    let limiter: RateLimiter

    init(reports: Reports, secret: ServerSecret, configuration: ServerConfiguration) {
        self.reports = reports
        self.secret = secret
        self.configuration = configuration
        limiter = RateLimiter(window: configuration.reportWindow)
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/report") { request, context in
            try limit(request, context: context)
            let query = request.uri.queryParameters
            guard let from = query.get("from"), let until = query.get("until"),
                  let grouping = RegulatorReport.Grouping(rawValue: query.get("by") ?? "party") else {
                throw APIError(.badRequest, "invalid-report-request", .invalidReportRequest)
            }
            do {
                let report = try reports.report(from: from, until: until, by: grouping,
                                                copyWarningClients: configuration.copyWarningClients)
                return JSONResponse.make(.ok, report.json)
            } catch let error as ServiceError {
                if case .store = error { throw APIError.unavailable }
                throw APIError(.badRequest, "invalid-report-request", zh: error.message(in: .chinese), en: error.message(in: .english))
            }
        }
    }

    /// Counts the request against its client's budget, refusing it once spent.
    func limit(_ request: Request, context: ServerContext) throws {
        let address = request.head.clientAddress(peer: context.remoteAddress?.ipAddress,
                                                 trustForwarded: configuration.trustForwardedFor)
        let client = Hex.encode(secret.clientID(address))
        let now = ContinuousClock.now
        guard limiter.count(client, now: now) < configuration.reportRequestsPerClient else {
            let wait = limiter.retryAfter(client, now: now)
            throw APIError(.tooManyRequests, "too-many-requests", .tooManyRequests, ["seconds": wait],
                           headers: [.retryAfter: String(wait)])
        }
        limiter.add(client, now: now)
    }
}
