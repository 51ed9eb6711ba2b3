import Hummingbird
import YimaCrypto
import YimaRecords
import YimaService

/// `POST /api/v1/registrations` and `GET /api/v1/registrations/{id}`: a producer asks
/// to be registered with the key it created in the browser (docs/api.md §Registration
/// requests). Requests are rate-limited per client and stored as pending; only the
/// county authority's signature (`yima party approve`) registers anyone.
struct RegistrationRoutes: Sendable {
    let registrations: Registrations
    let json: JSONRequest
    let secret: ServerSecret
    let configuration: ServerConfiguration
    let limiter: RateLimiter

    init(registrations: Registrations, secret: ServerSecret, configuration: ServerConfiguration) {
        self.registrations = registrations
        json = JSONRequest(body: RequestBody(limit: configuration.registrationBodyLimit, timeout: configuration.requestTimeout))
        self.secret = secret
        self.configuration = configuration
        limiter = RateLimiter(window: configuration.registrationWindow)
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/registrations") { request, context in try await submit(request, context: context) }
        router.get("/api/v1/registrations/:id") { _, context in try state(context.parameters.get("id") ?? "") }
    }

    func submit(_ request: Request, context: ServerContext) async throws -> Response {
        let client = Hex.encode(secret.clientID(request.head.clientAddress(peer: context.remoteAddress?.ipAddress,
                                                                            trustForwarded: configuration.trustForwardedFor)))
        if limiter.count(client) >= configuration.registrationsPerClient {
            let wait = limiter.retryAfter(client)
            throw APIError(.tooManyRequests, "too-many-requests", .tooManyRegistrations, ["seconds": wait],
                           headers: [.retryAfter: String(wait)]).bilingual()
        }
        let envelope = try await json.envelope(request)
        let stored: StoredRegistration
        do { stored = try registrations.submit(envelope) } catch { throw Self.refusal(error) }
        limiter.add(client)
        return JSONResponse.make(.accepted, Self.json(stored), headers: [.cacheControl: "no-store"])
    }

    func state(_ id: String) throws -> Response {
        guard id.utf8.count == 64, id == id.lowercased(), Hex.decode(id) != nil else {
            throw APIError(.badRequest, "malformed-id", .malformedRegistrationID).bilingual()
        }
        let stored: StoredRegistration?
        do { stored = try registrations.registration(id: id) } catch { throw APIError.unavailable.bilingual() }
        guard let stored else { throw APIError(.notFound, "unknown-registration", .unknownRegistration).bilingual() }
        return JSONResponse.make(.ok, Self.json(stored), headers: [.cacheControl: "no-store"])
    }

    static func json(_ stored: StoredRegistration) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(stored.id), "status": .string(stored.status.rawValue), "party": .string(stored.partyID),
            "credit_code": .string(stored.creditCode), "kid": .string(stored.keyID), "received_at": .string(RFC3339.utc(stored.receivedAt)),
        ]
        if let decided = stored.decidedAt { object["decided_at"] = .string(RFC3339.utc(decided)) }
        if let reason = stored.reason { object["reason"] = .string(reason) }
        if let record = stored.record { object["record"] = .string(record) }
        return .object(object)
    }

    static func refusal(_ error: ServiceError) -> APIError {
        switch error {
        case .request(let refusal): .refusal(refusal, malformed: "invalid-registration")
        case .envelope(let problem):
            APIError(.badRequest, "malformed-envelope", zh: problem.message(in: .chinese), en: problem.message(in: .english)).bilingual()
        default: APIError.unavailable.bilingual()
        }
    }
}
