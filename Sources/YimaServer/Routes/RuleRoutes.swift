import Hummingbird
import YimaCrypto
import YimaRecords

/// `GET /api/v1/rules/banned-pesticides`: the banned-pesticide list byte for byte as
/// the rules load it (docs/api.md §Banned-pesticide list), so the workbench applies
/// the same data offline instead of a copy of its own.
struct RuleRoutes: Sendable {
    static let bannedPesticides = BannedPesticideList.bundledFile
    static let bannedPesticidesTag = "\"" + Hex.encode(Digest.sha256(bannedPesticides).prefix(16)) + "\""

    func addRoutes(to router: Router<ServerContext>) {
        // HEAD is the router's own (`autoGenerateHeadEndpoints`).
        router.get("/api/v1/rules/banned-pesticides") { request, _ in Self.answer(request) }
    }

    static func answer(_ request: Request) -> Response {
        var headers: HTTPFields = [.eTag: bannedPesticidesTag, .cacheControl: "no-cache", .contentType: "application/json; charset=utf-8"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == bannedPesticidesTag || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(bannedPesticides.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bannedPesticides)))
    }
}
