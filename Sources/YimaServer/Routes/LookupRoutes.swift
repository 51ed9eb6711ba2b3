import HTTPTypes
import Hummingbird
import YimaService

/// Every GET and HEAD under `/01` (GS1 Digital Link, primary key 01): the unit code
/// route for requests that take the router's way (`LookupChannelHandler` answers most
/// lookups before they reach it), batch and product pages, and any other path under
/// `/01` (walk-up for a valid Digital Link, 400 for one that is not), all through
/// `Lookup.answer`; and the resolver description file (`/.well-known/gs1resolver`).
struct LookupRoutes: Sendable {
    let lookup: Lookup

    /// The routed shapes (the router drops empty segments, so a trailing slash
    /// reaches the same route; `Lookup.answer` parses the path as sent).
    static let digitalLinkRoutes: [RouterPath] = ["/01/:gtin", "/01/:gtin/10/:lot", Lookup.codeRoute]

    func addRoutes(to router: Router<ServerContext>) {
        for path in Self.digitalLinkRoutes {
            router.get(path) { request, context in
                lookup.answer(request.head, peer: context.remoteAddress?.ipAddress, head: false).response
            }
            router.on(path, method: .head) { request, context in
                lookup.answer(request.head, peer: context.remoteAddress?.ipAddress, head: true).response
            }
        }
        router.add(middleware: DigitalLinkFallback(lookup: lookup))
        router.get("/.well-known/gs1resolver") { request, _ in
            JSONResponse.make(.ok, Linkset.resolverDescription(root: request.head.root(trustForwarded: lookup.configuration.trustForwardedFor)),
                              headers: [.cacheControl: "public, max-age=3600"])
        }
    }
}

/// Other GET and HEAD paths under `/01` that no route matches (`/01/{gtin}/21/{serial}`,
/// `…/21/{serial}/foo`, `/01/{gtin}/10`): answered by `Lookup.answer` instead of the
/// router's 404, so that a valid Digital Link walks up and an invalid one is a 400
/// (Hummingbird refuses a `/01/**` route beside `/01/:gtin`).
struct DigitalLinkFallback: RouterMiddleware {
    typealias Context = ServerContext
    let lookup: Lookup

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard request.method == .get || request.method == .head, path == "/01" || path.hasPrefix("/01/") else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return lookup.answer(request.head, peer: context.remoteAddress?.ipAddress, head: request.method == .head).response
        }
    }
}
