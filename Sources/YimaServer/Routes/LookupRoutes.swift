import Hummingbird
import YimaService

/// The code route for requests that take the router's way (`LookupChannelHandler`
/// answers most lookups before they reach it), and the resolver description file
/// (GS1 Digital Link resolver, `/.well-known/gs1resolver`).
struct LookupRoutes: Sendable {
    let lookup: Lookup

    func addRoutes(to router: Router<ServerContext>) {
        router.get(Lookup.codeRoute) { request, context in
            lookup.answer(request.head, peer: context.remoteAddress?.ipAddress, head: false).response
        }
        router.on(Lookup.codeRoute, method: .head) { request, context in
            lookup.answer(request.head, peer: context.remoteAddress?.ipAddress, head: true).response
        }
        router.get("/.well-known/gs1resolver") { request, _ in
            JSONResponse.make(.ok, Linkset.resolverDescription(root: request.head.root(trustForwarded: lookup.configuration.trustForwardedFor)),
                              headers: [.cacheControl: "public, max-age=3600"])
        }
    }
}
