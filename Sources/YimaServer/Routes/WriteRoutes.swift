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
            throw APIError(.badRequest, "malformed-envelope") {
                ServerMessage.malformedEnvelope.text(in: $0, ["reason": error.message(in: $0)])
            }
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
        if case .event(let event)? = try? Record(payload: envelope.payload), event.type == .certificate {
            // Where the workbench gets the 承诺达标合格证's printable label (docs/api.md).
            result["certificate"] = .string("/certificates/\(envelope.recordID.hex)")
        }
        return JSONResponse.make(.created, .object(result))
    }

    /// The status and body of each refusal (docs/api.md §Write API).
    func refusal(_ error: ServiceError, envelope: Envelope) -> APIError {
        let zh = error.message(in: .chinese), en = error.message(in: .english)
        let unauthenticated: HTTPFields = [.wwwAuthenticate: "Signature realm=\"yima\""]
        func ruleDetails(_ rule: RuleViolation.Rule?, _ fields: [String]) -> [String: JSONValue] {
            guard let rule else { return [:] }
            return ["rule": .string(rule.rawValue), "fields": .array(fields.map(JSONValue.string))]
        }
        switch error.refusal {
        case .malformedRecord(let field):
            let problem = error.recordError
            return APIError(.badRequest, "malformed-record", details: ["field": .string(field)]) {
                ServerMessage.malformedRecord.text(in: $0, ["reason": problem?.message(in: $0) ?? error.message(in: $0)])
            }
        case .malformedEnvelope:
            return APIError(.badRequest, "malformed-envelope", zh: zh, en: en)
        case .badSignature:
            return APIError(.unauthorized, "bad-signature", zh: zh, en: en, headers: unauthenticated)
        case .notAuthority:
            return APIError(.forbidden, "not-authority", .notAuthority, details: ["kid": .string(envelope.keyID.hex)])
        case .unknownKey where error.isUnregisteredSigner:
            return APIError(.unauthorized, "unknown-key", .unknownKey, ["key": envelope.keyID],
                            details: ["kid": .string(envelope.keyID.hex)], headers: unauthenticated)
        case .unknownKey:
            return APIError(.unauthorized, "unknown-key", zh: zh, en: en)
        case .notAuthorised(let rule, let fields):
            return APIError(.forbidden, "not-authorised", zh: zh, en: en, details: ruleDetails(rule, fields))
        case .keyNotValid:
            return APIError(.forbidden, "key-not-valid", zh: zh, en: en)
        case .unknownReference:
            return APIError(.unprocessableContent, "unknown-reference", zh: zh, en: en)
        case .duplicate:
            return APIError(.conflict, "conflict", zh: zh, en: en)
        case .replay:
            // A client retrying after a lost response learns where its record is.
            var details: [String: JSONValue] = ["id": .string(envelope.recordID.hex)]
            if let stored = try? recording.storedRecord(id: envelope.recordID) { details["log_index"] = .integer(stored.sequence) }
            return APIError(.conflict, "replay", .replay, details: details)
        case .staleHead(let rule, let fields):
            // Without a rule the Chinese text says what to do; the English is the service's.
            guard rule == nil else { return APIError(.conflict, "stale-head", zh: zh, en: en, details: ruleDetails(rule, fields)) }
            return APIError(.conflict, "stale-head", .staleHead, ["reason": en], details: ruleDetails(rule, fields))
        case .rule(let rule, let fields):
            return APIError(.unprocessableContent, "rule-violation", zh: zh, en: en, details: ruleDetails(rule, fields))
        case .storeFailure:
            return .unavailable
        case .invalid:
            return APIError(.badRequest, "bad-request", zh: zh, en: en)
        }
    }
}

extension ServiceError {
    /// The write path's first check refused the signer (as opposed to a key change naming an unknown key).
    var isUnregisteredSigner: Bool {
        if case .rejected(.signerNotRegistered, _, _) = self { true } else { false }
    }
}
