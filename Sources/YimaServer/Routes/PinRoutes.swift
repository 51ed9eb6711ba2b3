import Foundation
import Hummingbird
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService

/// `POST /01/{gtin}/10/{lot}/21/{serial}/verify-pin`: checks a unit's hidden PIN
/// (刮刮码, docs/api.md §verify-pin), rate-limited per client and per unit.
struct PinRoutes: Sendable {
    let issuance: Issuance
    let secret: ServerSecret
    let configuration: ServerConfiguration
    let body: RequestBody
    let limiter: RateLimiter

    init(issuance: Issuance, secret: ServerSecret, configuration: ServerConfiguration, body: RequestBody) {
        self.issuance = issuance
        self.secret = secret
        self.configuration = configuration
        self.body = body
        limiter = RateLimiter(window: configuration.pinWindow)
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/01/:gtin/10/:lot/21/:serial/verify-pin") { request, context in try await verify(request, context: context) }
    }

    func verify(_ request: Request, context: ServerContext) async throws -> Response {
        let language = request.language
        let gtin = context.parameters.get("gtin") ?? "", lot = context.parameters.get("lot") ?? ""
        let serial = context.parameters.get("serial") ?? ""
        guard gtin.utf8.count == 14, gtin.allSatisfy(\.isASCII), gtin.allSatisfy(\.isNumber), GS1CheckDigit.isValid(gtin),
              UnitCodeAlphabet.isValid(lot), UnitCodeAlphabet.isValid(serial) else {
            throw APIError(.badRequest, "malformed-code", zh: "GTIN、批号或序列号格式错误", en: "malformed GTIN, lot or serial")
        }
        let bytes = try await body.collect(request)
        guard case .object(let fields)? = try? CanonicalJSON.parse(bytes), case .string(let pin)? = fields["pin"],
              (4...32).contains(pin.utf8.count), pin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw APIError(.badRequest, "invalid-pin-request", zh: "请求体应为 {\"pin\":\"数字\"}",
                           en: "the body must be {\"pin\":\"<digits>\"}")
        }
        let unitKey = "u:" + BatchKey(gtin: gtin, lot: lot).unit(serial).description
        let clientKey = "c:" + Hex.encode(secret.clientID(request.head.clientAddress(peer: context.remoteAddress?.ipAddress, trustForwarded: configuration.trustForwardedFor)))
        let now = ContinuousClock.now
        if limiter.count(clientKey, now: now) >= configuration.pinAttemptsPerClient
            || limiter.count(unitKey, now: now) >= configuration.pinAttemptsPerUnit {
            let wait = max(limiter.retryAfter(clientKey, now: now), limiter.retryAfter(unitKey, now: now))
            throw APIError(.tooManyRequests, "too-many-attempts", zh: "尝试次数过多，请 \(wait) 秒后再试",
                           en: "too many attempts; try again in \(wait) s", headers: [.retryAfter: String(wait)])
        }
        limiter.add(clientKey, now: now)
        let result: PinVerification
        do { result = try issuance.verifyPin(gtin: gtin, lot: lot, serial: serial, pin: pin, secret: secret) } catch {
            throw APIError.unavailable
        }
        let zone = configuration.displayTimeZone
        switch result {
        case .firstVerification(let at):
            return JSONResponse.make(.ok, .object([
                "result": .string("first-verification"), "genuine": .bool(true), "first_verified": .string(RFC3339.utc(at)),
                "message": .string(language == .chinese ? "正品，首次验证。" : "Genuine, first verification."),
            ]))
        case .alreadyVerified(let first):
            let date = DisplayTime.format(first, in: zone)
            return JSONResponse.make(.ok, .object([
                "result": .string("already-verified"), "genuine": .bool(true), "first_verified": .string(RFC3339.utc(first)),
                "message": .string(language == .chinese ? "此码已于 \(date) 验证过。如果不是您本人验证的，此商品可能是仿冒品。"
                                                        : "Already verified on \(date). If that was not you, this product may be a copy."),
            ]))
        case .wrongPin:
            limiter.add(unitKey, now: now)
            let left = max(0, configuration.pinAttemptsPerUnit - limiter.count(unitKey, now: now))
            throw APIError(.forbidden, "wrong-pin", zh: "刮刮码不正确", en: "wrong PIN",
                           details: ["attempts_left": .integer(Int64(left))])
        case .notIssued:
            throw APIError(.notFound, "not-issued", zh: "此码未由本系统签发", en: "this code was not issued by this system")
        case .noPin:
            throw APIError(.notFound, "no-pin", zh: "此码没有刮刮码", en: "this code has no PIN")
        }
    }
}
