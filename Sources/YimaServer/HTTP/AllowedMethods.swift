import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route answers, read from the router once every route group has
/// added its routes (`TraceServer.router()`), so a route added anywhere is covered
/// without being listed here. RFC 9110 §15.5.6: a known path asked with another
/// method is 405 with an `Allow` header, not 404; §9.3.2: HEAD wherever GET is.
final class AllowedMethods: Sendable {
    private let routes = Mutex<[(path: RouterPath, methods: Set<HTTPRequest.Method>)]>([])

    /// Takes the router's routes (call after every route is added).
    func load(_ descriptions: [Router<ServerContext>.RouteDescription]) {
        var table: [(path: RouterPath, methods: Set<HTTPRequest.Method>)] = []
        for route in descriptions {
            if let index = table.firstIndex(where: { $0.path == route.path }) {
                table[index].methods.insert(route.method)
            } else {
                table.append((route.path, [route.method]))
            }
        }
        routes.withLock { $0 = table }
    }

    /// The methods some route answers for `path`, with HEAD beside GET and OPTIONS
    /// (answered for every path by `CORSMiddleware`); empty when no route matches.
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        // The router drops empty segments, so `/c/` is `/c`.
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found = Set<HTTPRequest.Method>()
        routes.withLock { table in
            for route in table where Self.matches(route.path.components[...], segments[...]) {
                found.formUnion(route.methods)
            }
        }
        if found.isEmpty { return [] }
        if found.contains(.get) { found.insert(.head) }
        found.insert(.options)
        return found
    }

    /// The `Allow` header value: methods in a fixed order.
    static func header(_ methods: Set<HTTPRequest.Method>) -> String {
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
        return (order.filter(methods.contains) + methods.filter { !order.contains($0) }.sorted { $0.rawValue < $1.rawValue })
            .map(\.rawValue).joined(separator: ", ")
    }

    /// Whether the route's components match the path's segments, as Hummingbird's trie does.
    private static func matches(_ components: ArraySlice<RouterPath.Element>, _ segments: ArraySlice<Substring>) -> Bool {
        guard let first = components.first else { return segments.isEmpty }
        if first == RouterPath.Element.recursiveWildcard { return true }
        guard let segment = segments.first, first ~= segment else { return false }
        return matches(components.dropFirst(), segments.dropFirst())
    }
}

/// Answers 405 `method-not-allowed` with `Allow` (docs/api.md §Errors) for a path some
/// route serves, asked with a method none of its routes takes. Checked before routing,
/// so that fallbacks for unrouted paths (`DigitalLinkFallback`) never see such a request.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let methods = allowed.methods(for: request.uri.path)
        guard methods.isEmpty || methods.contains(request.method) else {
            var refusal = APIError.methodNotAllowed()
            refusal.headers[.allow] = AllowedMethods.header(methods)
            throw refusal
        }
        return try await next(request, context)
    }
}
