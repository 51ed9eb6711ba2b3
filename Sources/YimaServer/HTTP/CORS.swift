import HTTPTypes
import Hummingbird

/// Cross-origin reading (docs/api.md §CORS). Every read endpoint (lookups, batch and
/// product pages, linksets, the resolver description, JSON, certificates, the log's
/// checkpoint and tiles) may be read from any origin: they hold nothing private and
/// take no credentials. The write endpoints (`POST /api/v1/records`, PIN checks) get
/// no CORS headers: cross-origin pages cannot call them, which is as strict as a
/// signed write needs, and PIN guessing from other sites' visitors stays impossible.
enum CORS {
    /// Adds what lets a page on any origin read the answer (and its `Link` header).
    static func allowReading(_ headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = "*"
        headers[.accessControlExposeHeaders] = "Link, Content-Language, Location"
    }

    /// Whether `path` is a write endpoint (no cross-origin use).
    static func isWrite(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/records") || path.hasSuffix("/verify-pin") || path.hasSuffix("/verify-pin/")
    }
}

/// Answers OPTIONS for every path (GS1 resolver: "SHALL support HTTP 1.1 GET, HEAD
/// and OPTIONS"), with a CORS preflight answer for read endpoints, and adds the
/// read headers to every GET and HEAD answer the router gives.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    /// What `Allow` lists for a routed path (a path no route knows gets the read set).
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if request.method == .options {
            let methods = allowed.methods(for: path)
            if CORS.isWrite(path) {
                return Response(status: .noContent, headers: [.allow: methods.isEmpty ? "POST, OPTIONS" : AllowedMethods.header(methods),
                                                              .cacheControl: "no-store"])
            }
            var headers: HTTPFields = [
                .allow: methods.isEmpty ? "GET, HEAD, OPTIONS" : AllowedMethods.header(methods),
                .accessControlAllowMethods: "GET, HEAD, OPTIONS",
                .accessControlAllowHeaders: request.headers[.accessControlRequestHeaders] ?? "Accept, Accept-Language",
                .accessControlMaxAge: "86400",
            ]
            CORS.allowReading(&headers)
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if request.method == .get || request.method == .head, !CORS.isWrite(path) {
            CORS.allowReading(&response.headers)
        }
        return response
    }
}
