import Hummingbird
import YimaCrypto
import YimaRecords
import YimaService

/// `POST /api/v1/records/check`: the dry run of the write path on an unsigned draft
/// (docs/api.md §Dry run of the rules): `Recording.check`, the checks `submit` runs,
/// storing nothing.
struct CheckRoutes: Sendable {
    let recording: Recording
    let json: JSONRequest

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/records/check") { request, _ in try await check(request) }
    }

    func check(_ request: Request) async throws -> Response {
        guard case .object(let body) = try await json.value(request) else { throw Self.invalid("") }
        if let extra = body.keys.sorted().first(where: { $0 != "draft" && $0 != "kid" }) { throw Self.invalid(extra) }
        guard case .object? = body["draft"], let draft = body["draft"] else { throw Self.invalid("draft") }
        guard case .string(let kidText)? = body["kid"], kidText.utf8.count == 16, kidText == kidText.lowercased(),
              let kid = KeyID(hex: kidText) else { throw Self.invalid("kid") }
        let problems: [DraftProblem]
        do { problems = try recording.check(draft: draft, keyID: kid) } catch { throw APIError.unavailable.bilingual() }
        return JSONResponse.make(.ok, .object([
            "ok": .bool(problems.isEmpty),
            "problems": .array(problems.map { problem in
                .object(["rule": .string(problem.rule), "fields": .array(problem.fields.map(JSONValue.string)),
                         "message": .object(["zh-CN": .string(problem.chinese), "en": .string(problem.english)])])
            }),
        ]), headers: [.cacheControl: "no-store"])
    }

    static func invalid(_ field: String) -> APIError {
        APIError(.badRequest, "invalid-check-request", .invalidCheckRequest, ["field": field], details: ["field": .string(field)]).bilingual()
    }
}
