import Foundation
import Hummingbird
import NIOCore
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService

/// `POST /api/v1/records`: stores one signed record (docs/api.md §Write API). The
/// signature is the authentication; every check is `Recording.submit`'s, and this
/// maps its refusals to statuses. Nothing is stored on any error.
struct WriteRoutes: Sendable {
    let recording: Recording
    /// Told when a batch's head moves, so the next lookup sees it at once.
    let resolver: CodeResolver
    let body: RequestBody

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/records") { request, _ in try await submit(request) }
    }

    func submit(_ request: Request) async throws -> Response {
        let bytes = try await body.collect(request)
        let value: JSONValue
        do { value = try CanonicalJSON.parse(bytes) } catch { throw APIError.invalidJSON("\(error)") }
        let envelope: Envelope
        do { envelope = try Envelope(encoded: CanonicalJSON.encode(value)) } catch {
            throw APIError(.badRequest, "malformed-envelope", zh: "签名信封格式错误：\(error.message(in: .chinese))",
                           en: "malformed envelope: \(error.message(in: .english))")
        }
        let stored: StoredRecord
        do { stored = try recording.submit(envelope) } catch { throw refusal(error, envelope: envelope) }
        var result: [String: JSONValue] = [
            "id": .string(envelope.recordID.hex), "log_index": .integer(stored.sequence), "kind": .string(stored.kind.rawValue),
        ]
        if let batch = stored.batchKey {
            result["batch"] = .string(batch)
            resolver.batchChanged(batch)
        }
        return JSONResponse.make(.created, .object(result))
    }

    static func recordError(_ error: RecordError) -> APIError {
        APIError(.badRequest, "malformed-record", zh: "记录内容错误：\(error.message(in: .chinese))",
                 en: "malformed record: \(error.message(in: .english))", details: ["field": .string(error.field)])
    }

    /// Maps what `Recording.submit` refuses to a status (docs/api.md §Write API).
    func refusal(_ error: ServiceError, envelope: Envelope) -> APIError {
        let zh = error.message(in: .chinese), en = error.message(in: .english)
        switch error {
        case .envelope(.invalidRecord(let problem)), .record(let problem):
            return Self.recordError(problem)
        case .rejected(.notAuthority, _, _):
            return APIError(.forbidden, "not-authority", zh: "主体登记须由县级监管部门密钥签名",
                            en: "party records must be signed by an authority key", details: ["kid": .string(envelope.keyID.hex)])
        case .rejected(.signerNotRegistered, _, _):
            return APIError(.unauthorized, "unknown-key", zh: "签名密钥 \(envelope.keyID) 不属于任何已登记主体",
                            en: "the signing key \(envelope.keyID) belongs to no registered party",
                            details: ["kid": .string(envelope.keyID.hex)], headers: [.wwwAuthenticate: "Signature realm=\"yima\""])
        case .envelope(.badSignature), .envelope(.wrongKey), .envelope(.algorithmMismatch):
            return APIError(.unauthorized, "bad-signature", zh: zh, en: en, headers: [.wwwAuthenticate: "Signature realm=\"yima\""])
        case .envelope:
            return APIError(.badRequest, "malformed-envelope", zh: zh, en: en)
        case .rule(let violation) where violation.rule == .role || violation.rule == .actorMismatch:
            return APIError(.forbidden, "not-authorised", zh: zh, en: en,
                            details: ["rule": .string(violation.rule.rawValue), "fields": .array(violation.fields.map(JSONValue.string))])
        case .rule(let violation) where violation.rule == .chainLink:
            return APIError(.conflict, "stale-head", zh: zh, en: en,
                            details: ["rule": .string(violation.rule.rawValue), "fields": .array(violation.fields.map(JSONValue.string))])
        case .rule(let violation):
            return APIError(.unprocessableContent, "rule-violation", zh: zh, en: en,
                            details: ["rule": .string(violation.rule.rawValue), "fields": .array(violation.fields.map(JSONValue.string))])
        case .store(.duplicateRecord):
            // A replay (a client retrying after a lost response) learns where its record is.
            var details: [String: JSONValue] = ["id": .string(envelope.recordID.hex)]
            if let stored = try? recording.storedRecord(id: envelope.recordID) { details["log_index"] = .integer(stored.sequence) }
            return APIError(.conflict, "replay", zh: "该记录已存储（重放）", en: "this record is already stored (replay)", details: details)
        case .store(.staleHead):
            return APIError(.conflict, "stale-head", zh: "批次已有更新的记录，请重新读取链头后再签名", en: en)
        case .store(.duplicateBatch), .store(.duplicateUnit), .store(.alreadyPacked):
            return APIError(.conflict, "conflict", zh: zh, en: en)
        case .store(.unknownBatch):
            return APIError(.unprocessableContent, "unknown-reference", zh: zh, en: en)
        case .store:
            return .unavailable
        case .rejected(.duplicate, _, _):
            return APIError(.conflict, "conflict", zh: zh, en: en)
        case .rejected(.unknownReference, _, _), .notFound:
            return APIError(.unprocessableContent, "unknown-reference", zh: zh, en: en)
        case .rejected(.unknownKey, _, _):
            return APIError(.unauthorized, "unknown-key", zh: zh, en: en)
        case .rejected(.notAuthorised, _, _):
            return APIError(.forbidden, "not-authorised", zh: zh, en: en)
        case .rejected(.keyNotValid, _, _):
            return APIError(.forbidden, "key-not-valid", zh: zh, en: en)
        default:
            return APIError(.badRequest, "bad-request", zh: zh, en: en)
        }
    }
}
