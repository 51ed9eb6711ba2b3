import Hummingbird
import YimaService

/// `GET /api/v1/report?from=YYYY-MM-DD&until=YYYY-MM-DD&by=party|product|township`:
/// the authority's statistics as JSON (docs/report.md). Aggregates only: no unit,
/// client or personal data.
struct ReportRoutes: Sendable {
    let reports: Reports
    let copyWarningClients: Int

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/report") { request, _ in
            let query = request.uri.queryParameters
            guard let from = query.get("from"), let until = query.get("until"),
                  let grouping = RegulatorReport.Grouping(rawValue: query.get("by") ?? "party") else {
                throw APIError(.badRequest, "invalid-report-request", .invalidReportRequest)
            }
            do {
                let report = try reports.report(from: from, until: until, by: grouping, copyWarningClients: copyWarningClients)
                return JSONResponse.make(.ok, report.json)
            } catch let error as ServiceError {
                if case .store = error { throw APIError.unavailable }
                throw APIError(.badRequest, "invalid-report-request", zh: error.message(in: .chinese), en: error.message(in: .english))
            }
        }
    }
}
