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
            throw APIError(.badRequest, "malformed-code", .pinMalformedCode)
        }
        let bytes = try await body.collect(request)
        // Exactly `{"pin":"…"}` (docs/api.md §verify-pin): an unknown member is refused, not ignored.
        guard case .object(let fields)? = try? CanonicalJSON.parse(bytes), fields.count == 1, case .string(let pin)? = fields["pin"],
              (4...32).contains(pin.utf8.count), pin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw APIError(.badRequest, "invalid-pin-request", .pinInvalidRequest)
        }
        let unitKey = "u:" + BatchKey(gtin: gtin, lot: lot).unit(serial).description
        let clientKey = "c:" + Hex.encode(secret.clientID(request.head.clientAddress(peer: context.remoteAddress?.ipAddress, trustForwarded: configuration.trustForwardedFor)))
        let now = ContinuousClock.now
        if limiter.count(clientKey, now: now) >= configuration.pinAttemptsPerClient
            || limiter.count(unitKey, now: now) >= configuration.pinAttemptsPerUnit {
            let wait = max(limiter.retryAfter(clientKey, now: now), limiter.retryAfter(unitKey, now: now))
            throw APIError(.tooManyRequests, "too-many-attempts", .pinTooManyAttempts, ["seconds": wait],
                           headers: [.retryAfter: String(wait)])
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
                "message": .string(ServerMessage.pinFirstVerification.text(in: language)),
            ]))
        case .alreadyVerified(let first):
            let date = DisplayTime.format(first, in: zone)
            return JSONResponse.make(.ok, .object([
                "result": .string("already-verified"), "genuine": .bool(true), "first_verified": .string(RFC3339.utc(first)),
                "message": .string(ServerMessage.pinAlreadyVerified.text(in: language, ["date": date])),
            ]))
        case .wrongPin:
            limiter.add(unitKey, now: now)
            let left = max(0, configuration.pinAttemptsPerUnit - limiter.count(unitKey, now: now))
            throw APIError(.forbidden, "wrong-pin", .pinWrong,
                           details: ["attempts_left": .integer(Int64(left))])
        case .notIssued:
            throw APIError(.notFound, "not-issued", .pinNotIssued)
        case .noPin:
            throw APIError(.notFound, "no-pin", .pinNone)
        }
    }
}
