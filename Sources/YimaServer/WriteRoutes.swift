import Foundation
import Hummingbird
import NIOCore
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

extension LookupServer {
    func addWriteRoutes(to router: Router<LookupContext>) {
        router.post("/api/v1/records") { request, context in
            try await self.submitRecord(request, context: context)
        }
        router.post("/01/:gtin/10/:lot/21/:serial/verify-pin") { request, context in
            try await self.verifyPin(request, context: context)
        }
    }

    /// The body, refusing more than the limit (413) and bodies that arrive too slowly (408).
    func body(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.bodyLimit
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.bodyTooLarge(limit)
        }
        let timeout = configuration.requestTimeout
        let body = request.body
        let buffer: ByteBuffer
        do {
            buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else {
                    throw APIError(.requestTimeout, "timeout", zh: "请求体接收超时", en: "the request body did not arrive in time")
                }
                return buffer
            }
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit)
        }
        return Array(buffer.readableBytesView)
    }

    func language(_ request: Request) -> Language {
        Language.choose(lang: request.uri.queryParameters["lang"], acceptLanguage: request.headers[.acceptLanguage])
    }

    // MARK: POST /api/v1/records

    /// Stores one signed record. The signature is the authentication: the
    /// statuses are in docs/api.md §Write API. Nothing is stored on any error.
    func submitRecord(_ request: Request, context: LookupContext) async throws -> Response {
        let bytes = try await body(request)
        let value: JSONValue
        do { value = try CanonicalJSON.parse(bytes) } catch { throw APIError.invalidJSON("\(error)") }
        let envelope: Envelope
        do { envelope = try Envelope(encoded: CanonicalJSON.encode(value)) } catch {
            throw APIError(.badRequest, "malformed-envelope", zh: "签名信封格式错误：\(error.message(in: .chinese))",
                           en: "malformed envelope: \(error.message(in: .english))")
        }
        let record: Record
        do { record = try Record(payload: envelope.payload) } catch {
            throw Self.recordError(error)
        }
        // Who signed: an authority for parties and key changes, a registered party for the rest.
        if record.kind == .party || record.kind == .key {
            guard service.authorities.contains(where: { $0.id == envelope.keyID }) else {
                throw APIError(.forbidden, "not-authority", zh: "主体登记须由县级监管部门密钥签名",
                               en: "party records must be signed by an authority key", details: ["kid": .string(envelope.keyID.hex)])
            }
        } else {
            let registered: StoredRecord?
            do { registered = try service.store.partyRecord(forKey: envelope.keyID.hex) } catch { throw APIError.unavailable }
            guard registered != nil else {
                throw APIError(.unauthorized, "unknown-key", zh: "签名密钥 \(envelope.keyID) 不属于任何已登记主体",
                               en: "the signing key \(envelope.keyID) belongs to no registered party",
                               details: ["kid": .string(envelope.keyID.hex)],
                               headers: [.wwwAuthenticate: "Signature realm=\"yima\""])
            }
        }
        // A record already stored is a replay, whatever else is wrong with it now.
        let existing: StoredRecord?
        do { existing = try service.store.record(id: envelope.recordID.bytes) } catch { throw APIError.unavailable }
        if let existing {
            throw APIError(.conflict, "replay", zh: "该记录已存储（重放）", en: "this record is already stored (replay)",
                           details: ["id": .string(envelope.recordID.hex), "log_index": .integer(existing.sequence)])
        }
        let stored: StoredRecord
        do { stored = try service.submit(envelope) } catch { throw Self.submitError(error) }
        var result: [String: JSONValue] = [
            "id": .string(envelope.recordID.hex), "log_index": .integer(stored.sequence), "kind": .string(stored.kind.rawValue),
        ]
        if let batch = stored.batchKey {
            result["batch"] = .string(batch)
            engine.states.invalidate(batch)
        }
        return JSONResponse.make(.created, .object(result))
    }

    static func recordError(_ error: RecordError) -> APIError {
        APIError(.badRequest, "malformed-record", zh: "记录内容错误：\(error.message(in: .chinese))",
                 en: "malformed record: \(error.message(in: .english))", details: ["field": .string(error.field)])
    }

    /// Maps what `TraceService.submit` refuses to a status.
    static func submitError(_ error: ServiceError) -> APIError {
        let zh = error.message(in: .chinese), en = error.message(in: .english)
        switch error {
        case .envelope(.invalidRecord(let problem)), .record(let problem):
            return Self.recordError(problem)
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
            return APIError(.conflict, "replay", zh: "该记录已存储（重放）", en: en)
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
        case .rejected(.notAuthority, _, _):
            return APIError(.forbidden, "not-authority", zh: zh, en: en)
        case .rejected(.notAuthorised, _, _):
            return APIError(.forbidden, "not-authorised", zh: zh, en: en)
        case .rejected(.keyNotValid, _, _):
            return APIError(.forbidden, "key-not-valid", zh: zh, en: en)
        default:
            return APIError(.badRequest, "bad-request", zh: zh, en: en)
        }
    }

    // MARK: POST …/verify-pin

    func verifyPin(_ request: Request, context: LookupContext) async throws -> Response {
        let language = language(request)
        let gtin = context.parameters.get("gtin") ?? "", lot = context.parameters.get("lot") ?? ""
        let serial = context.parameters.get("serial") ?? ""
        guard gtin.utf8.count == 14, gtin.allSatisfy(\.isASCII), gtin.allSatisfy(\.isNumber), GS1CheckDigit.isValid(gtin),
              UnitCodeAlphabet.isValid(lot), UnitCodeAlphabet.isValid(serial) else {
            throw APIError(.badRequest, "malformed-code", zh: "GTIN、批号或序列号格式错误", en: "malformed GTIN, lot or serial")
        }
        let bytes = try await body(request)
        guard case .object(let fields)? = try? CanonicalJSON.parse(bytes), case .string(let pin)? = fields["pin"],
              (4...32).contains(pin.utf8.count), pin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw APIError(.badRequest, "invalid-pin-request", zh: "请求体应为 {\"pin\":\"数字\"}",
                           en: "the body must be {\"pin\":\"<digits>\"}")
        }
        let unitKey = "u:\(gtin)/\(lot)/\(serial)"
        let clientKey = "c:" + Hex.encode(secret.clientID(clientAddress(request, context: context)))
        let now = ContinuousClock.now
        if pinLimiter.count(clientKey, now: now) >= configuration.pinAttemptsPerClient
            || pinLimiter.count(unitKey, now: now) >= configuration.pinAttemptsPerUnit {
            let wait = max(pinLimiter.retryAfter(clientKey, now: now), pinLimiter.retryAfter(unitKey, now: now))
            throw APIError(.tooManyRequests, "too-many-attempts", zh: "尝试次数过多，请 \(wait) 秒后再试",
                           en: "too many attempts; try again in \(wait) s", headers: [.retryAfter: String(wait)])
        }
        pinLimiter.add(clientKey, now: now)
        let unit: StoredUnit?
        do { unit = try service.store.unit(gtin: gtin, lot: lot, serial: serial) } catch { throw APIError.unavailable }
        guard unit != nil else {
            throw APIError(.notFound, "not-issued", zh: "此码未由本系统签发", en: "this code was not issued by this system")
        }
        let result: PinVerification
        do { result = try service.verifyPin(gtin: gtin, lot: lot, serial: serial, pin: pin, secret: secret) } catch {
            throw APIError.unavailable
        }
        let zone = configuration.displayTimeZone
        switch result {
        case .firstVerification(let at):
            return JSONResponse.make(.ok, .object([
                "result": .string("first-verification"), "genuine": .bool(true), "first_verified": .string(Clock.rfc3339(at)),
                "message": .string(language == .chinese ? "正品，首次验证。" : "Genuine, first verification."),
            ]))
        case .alreadyVerified(let first):
            let date = Clock.display(first, in: zone)
            return JSONResponse.make(.ok, .object([
                "result": .string("already-verified"), "genuine": .bool(true), "first_verified": .string(Clock.rfc3339(first)),
                "message": .string(language == .chinese ? "此码已于 \(date) 验证过。如果不是您本人验证的，此商品可能是仿冒品。"
                                                        : "Already verified on \(date). If that was not you, this product may be a copy."),
            ]))
        case .wrongPin:
            pinLimiter.add(unitKey, now: now)
            let left = max(0, configuration.pinAttemptsPerUnit - pinLimiter.count(unitKey, now: now))
            throw APIError(.forbidden, "wrong-pin", zh: "刮刮码不正确", en: "wrong PIN",
                           details: ["attempts_left": .integer(Int64(left))])
        case .noPin:
            throw APIError(.notFound, "no-pin", zh: "此码没有刮刮码", en: "this code has no PIN")
        }
    }
}
