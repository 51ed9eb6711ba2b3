import Foundation
import HTTPTypes
import Hummingbird
import YimaRecords
import YimaService

/// Carton and pallet labels carry `https://HOST/00/{SSCC}` (GS1 Digital Link, AI 00;
/// docs/labels.md §Carton and pallet labels). Scanning one answers what it holds, as the
/// signed packing events recorded it (docs/api.md §Containers).
struct ContainerRoutes: Sendable {
    let resolver: CodeResolver

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/00/:sscc") { request, context in
            let language = request.language
            let text = context.parameters.get("sscc") ?? ""
            let sscc: SSCC
            do { sscc = try SSCC(text, field: "sscc") } catch {
                return APIError(.badRequest, "malformed-sscc") {
                    ServerMessage.malformedSSCC.text(in: $0, ["reason": ServiceError.wrap(error).message(in: $0)])
                }.response(in: language)
            }
            guard let contents = try resolver.container(sscc) else {
                return APIError(.notFound, "unknown-container", .unknownContainer, ["sscc": text]).response(in: language)
            }
            var body: [String: JSONValue] = [
                "sscc": .string(contents.sscc), "count": .integer(Int64(contents.units.count + contents.cartons.count)),
                "units": .array(contents.units.map(JSONValue.string)), "cartons": .array(contents.cartons.map(JSONValue.string)),
            ]
            if let container = contents.container { body["container"] = .string(container) }
            return JSONResponse.make(.ok, .object(body), headers: [.cacheControl: "no-store"])
        }
    }
}
