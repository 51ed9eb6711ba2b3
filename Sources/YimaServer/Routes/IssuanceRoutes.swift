import Hummingbird
import YimaRecords
import YimaService

/// `POST /api/v1/issuances`: codes signed in the browser, with their signed
/// unit-issuance event (docs/api.md §Issuing codes from the browser), stored in one
/// transaction by `Issuance.storeIssued`; idempotent on retry.
struct IssuanceRoutes: Sendable {
    let issuance: Issuance
    let json: JSONRequest
    /// The write API's refusals, for the event.
    let write: WriteRoutes

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/issuances") { request, _ in try await store(request) }
    }

    func store(_ request: Request) async throws -> Response {
        guard case .object(let body) = try await json.value(request) else { throw Self.invalid("") }
        if let extra = body.keys.sorted().first(where: { $0 != "event" && $0 != "codes" }) { throw Self.invalid(extra) }
        guard let eventValue = body["event"] else { throw Self.invalid("event") }
        guard case .array(let items)? = body["codes"] else { throw Self.invalid("codes") }
        var codes: [String] = []
        codes.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .string(let code) = item else { throw Self.invalid("codes[\(index)]") }
            codes.append(code)
        }
        let envelope = try JSONRequest.envelope(eventValue)
        let result: UploadedIssuance
        do { result = try issuance.storeIssued(event: envelope, codes: codes) } catch {
            if case .request(let refusal) = error { throw APIError.refusal(refusal, malformed: "invalid-issuance") }
            throw write.refusal(error, envelope: envelope).bilingual()
        }
        write.resolver.batchChanged(result.batch)
        return JSONResponse.make(result.alreadyStored ? .ok : .created, .object([
            "id": .string(result.id), "log_index": .integer(result.logIndex), "kind": .string("event"),
            "batch": .string(result.batch), "count": .integer(Int64(result.count)),
        ]), headers: [.cacheControl: "no-store"])
    }

    static func invalid(_ field: String) -> APIError {
        APIError(.badRequest, "invalid-issuance", .invalidIssuanceRequest, ["field": field], details: ["field": .string(field)]).bilingual()
    }
}
