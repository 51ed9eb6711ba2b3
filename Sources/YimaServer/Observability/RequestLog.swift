import HTTPTypes
import Hummingbird
import Logging

/// One structured log line and the metrics per answered request, for both ways a
/// request is answered (the router and the lookup pipeline). The query is left out
/// of the log: it carries the code's signature, which says nothing useful there.
struct RequestLog: Sendable {
    let metrics: ServerMetrics

    func finished(method: HTTPRequest.Method, path: String, route: String, status: Int, elapsed: Duration, logger: Logger) {
        metrics.requests(status: status, route: route).increment()
        metrics.requestDuration(route: route).record(elapsed)
        logger.info("request", metadata: [
            "method": "\(method)", "path": "\(path.split(separator: "?", maxSplits: 1).first ?? "")", "route": "\(route)",
            "status": "\(status)",
            "micros": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
        ])
    }
}

/// `RequestLog` for what the router answers.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let log: RequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        log.finished(method: request.method, path: request.uri.path, route: context.endpointPath ?? "unmatched",
                     status: response.status.code, elapsed: ContinuousClock.now - started, logger: context.logger)
        return response
    }
}
