import Hummingbird
import YimaRecords
import YimaService

/// The workbench endpoints' errors (docs/api.md §Producer workbench): the usual body,
/// plus both texts (`message_zh`, `message_en`) so a form can show either.
extension APIError {
    func bilingual() -> APIError {
        var copy = self
        copy.details["message_zh"] = .string(chinese)
        copy.details["message_en"] = .string(english)
        return copy
    }

    static let unsupportedMediaType = APIError(.unsupportedMediaType, "unsupported-media-type", .unsupportedMediaType)

    /// The status and body of a refused workbench request; `malformed` is the id of
    /// the endpoint's "payload not as specified" error.
    static func refusal(_ refusal: RequestRefusal, malformed: String) -> APIError {
        let (zh, en) = (refusal.message(in: .chinese), refusal.message(in: .english))
        let unauthenticated: HTTPFields = [.wwwAuthenticate: "Signature realm=\"yima\""]
        func error(_ status: HTTPResponse.Status, _ id: String, _ details: [String: JSONValue] = [:], headers: HTTPFields = [:]) -> APIError {
            APIError(status, id, zh: zh, en: en, details: details, headers: headers).bilingual()
        }
        switch refusal.reason {
        case .malformed(let field): return error(.badRequest, malformed, ["field": .string(field)])
        case .malformedCode(let field, let reason): return error(.badRequest, "malformed-code", ["field": .string(field), "reason": .string(reason)])
        case .badSignature: return error(.unauthorized, "bad-signature", headers: unauthenticated)
        case .stale(let serverTime): return error(.unauthorized, "stale-request", ["server_time": .string(serverTime)], headers: unauthenticated)
        case .replayed: return error(.conflict, "replayed-request")
        case .unknownKey: return error(.unauthorized, "unknown-key", headers: unauthenticated)
        case .keyNotValid: return error(.forbidden, "key-not-valid")
        case .notBatchOwner: return error(.forbidden, "not-batch-owner")
        case .unknownBatch: return error(.notFound, "unknown-batch")
        case .noCodes: return error(.notFound, "no-codes")
        case .unknownTemplate: return error(.notFound, "unknown-template")
        case .tooManyLabels(let limit): return error(.contentTooLarge, "too-many-labels", ["limit": .integer(Int64(limit))])
        case .alreadyRegistered(let field): return error(.conflict, "already-registered", ["field": .string(field)])
        case .alreadyPending(let field, let id): return error(.conflict, "already-pending", ["field": .string(field), "id": .string(id)])
        case .queueFull: return error(.tooManyRequests, "too-many-requests", headers: [.retryAfter: "3600"])
        case .unknownRegistration: return error(.notFound, "unknown-registration")
        case .notPending: return error(.conflict, "not-pending")
        case .issuanceConflict(let field): return error(.conflict, "issuance-conflict", field.map { ["field": .string($0)] } ?? [:])
        case .forgedCode(let field): return error(.unprocessableContent, "forged-code", ["field": .string(field)])
        }
    }
}
