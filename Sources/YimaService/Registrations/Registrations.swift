import YimaCrypto
import YimaRecords
import YimaStore

/// Registration requests (docs/api.md §Registration requests): a producer asks, with
/// the key it wants registered, to become a party; the county authority approves
/// (signing the party record exactly as `yima party add` does) or rejects. A request
/// is never trusted: it registers and signs nothing by itself.
public struct Registrations: Sendable {
    let store: any RegistrationStore
    let nonces: any RequestNonceStore
    let recording: Recording
    let registry: Registry

    /// At most this many requests wait at once.
    public static let maximumPending = 1000
    /// The `party` members a request may carry: the party record's own, without keys
    /// (they come from `public_key`) or validity (the authority's to set).
    static let partyMembers: Set<String> = ["id", "name", "roles", "credit_code", "address", "contact"]

    init(store: any RegistrationStore, nonces: any RequestNonceStore, recording: Recording, registry: Registry) {
        self.store = store
        self.nonces = nonces
        self.recording = recording
        self.registry = registry
    }

    /// A request as it was checked: the party record the authority would sign.
    public struct Request: Sendable {
        public let signed: SignedRequest
        public let key: PublicKey
        public let party: Party
        /// The party record's fields as the authority's draft, with the requested key (without `v` and `kind`).
        public let draft: JSONValue
        public var id: String { signed.envelope.recordID.hex }
    }

    /// Checks a request (its proof of possession, its freshness, the party it asks
    /// for, that nothing it names is registered), remembers its nonce and stores it as
    /// pending. Nothing is stored on any refusal (a refused request's nonce may be kept).
    public func submit(_ envelope: Envelope) throws(ServiceError) -> StoredRegistration {
        let now = recording.clock.now()
        let request = try Self.open(envelope)
        do { try request.signed.requireFresh(now: now) } catch { throw .request(error) }
        try requireUnregistered(request)
        try request.signed.useNonce(nonces, now: now)
        let stored = StoredRegistration(id: request.id, partyID: request.party.id.rawValue, name: request.party.name,
                                        creditCode: Self.creditCode(request.party) ?? "", keyID: request.key.id.hex,
                                        envelope: envelope.encoded, receivedAt: now.seconds)
        do {
            try store.addRegistration(stored, maximumPending: Self.maximumPending)
        } catch .pendingRegistration(let conflict, let id) {
            throw .request(Self.conflict(conflict, request, pendingID: id))
        } catch .registrationQueueFull(let limit) {
            throw .request(RequestRefusal(.queueFull(limit: limit), .registrationQueueFull, ["limit": limit]))
        } catch {
            throw .store(error)
        }
        return stored
    }

    /// Decodes and checks a request on its own: shape, key, proof of possession, party.
    public static func open(_ envelope: Envelope) throws(ServiceError) -> Request {
        do {
            let signed = try SignedRequest(envelope, kind: "registration_request")
            try signed.requireOnly(["public_key", "party"])
            let key: PublicKey
            do { key = try PublicKey(pem: try signed.string("public_key")) } catch let error as RequestRefusal { throw error } catch {
                throw RequestRefusal(.malformed(field: "public_key"), .registrationPublicKey, ["reason": error])
            }
            guard envelope.keyID == key.id, envelope.algorithm == key.algorithm else {
                throw RequestRefusal(.badSignature, .registrationKeyMismatch)
            }
            try signed.requireSignature(by: key)
            guard let partyValue = signed.members["party"] else {
                throw RequestRefusal(.malformed(field: "party"), .requestMissing, ["field": "party"])
            }
            guard case .object(var fields) = partyValue else {
                throw RequestRefusal(.malformed(field: "party"), .requestFieldType, ["field": "party", "type": "object"])
            }
            if let extra = fields.keys.sorted().first(where: { !partyMembers.contains($0) }) {
                throw RequestRefusal(.malformed(field: "party." + extra), .requestUnknownMember, ["field": "party." + extra])
            }
            if fields["credit_code"] == nil {
                throw RequestRefusal(.malformed(field: "party.credit_code"), .requestMissing, ["field": "party.credit_code"])
            }
            fields["public_keys"] = .array([PartyPublicKey(key).json])
            let draft = JSONValue.object(fields)
            fields["v"] = .integer(Record.payloadVersion)
            fields["kind"] = .string(Record.Kind.party.rawValue)
            guard case .party(let party) = try Record(json: .object(fields)) else { preconditionFailure("decoded a party") }
            return Request(signed: signed, key: key, party: party, draft: draft)
        } catch let error as RequestRefusal {
            throw .request(error)
        } catch let error as RecordError {
            throw .request(RequestRefusal(.malformed(field: "party." + error.field), zh: error.message(in: .chinese), en: error.message(in: .english)))
        } catch {
            throw .wrap(error)
        }
    }

    /// Refuses a request for a credit code, party id or key a registered party has.
    func requireUnregistered(_ request: Request) throws(ServiceError) {
        let registry = try self.registry.keyRegistry().registry
        if registry.keys[request.key.id] != nil { throw .request(Self.conflict(.keyID, request, pendingID: nil)) }
        if registry.parties[request.party.id] != nil { throw .request(Self.conflict(.partyID, request, pendingID: nil)) }
        let code = Self.creditCode(request.party)
        if registry.parties.values.contains(where: { Self.creditCode($0.party) == code }) {
            throw .request(Self.conflict(.creditCode, request, pendingID: nil))
        }
    }

    static func conflict(_ conflict: StoredRegistration.Conflict, _ request: Request, pendingID: String?) -> RequestRefusal {
        let (what, value): (ServiceMessage, String) = switch conflict {
        case .creditCode: (.whatCreditCode, creditCode(request.party) ?? "")
        case .partyID: (.whatPartyID, request.party.id.rawValue)
        case .keyID: (.whatKey, request.key.id.hex)
        }
        let field = conflict == .keyID ? "public_key" : "party.\(conflict.rawValue)"
        let (zh, en): (String, String)
        if let pendingID {
            zh = ServiceMessage.registrationPending.text(in: .chinese, ["id": pendingID, "what": what.text(in: .chinese), "value": value])
            en = ServiceMessage.registrationPending.text(in: .english, ["id": pendingID, "what": what.text(in: .english), "value": value])
            return RequestRefusal(.alreadyPending(field: field, id: pendingID), zh: zh, en: en)
        }
        zh = ServiceMessage.registrationRegistered.text(in: .chinese, ["what": what.text(in: .chinese), "value": value])
        en = ServiceMessage.registrationRegistered.text(in: .english, ["what": what.text(in: .english), "value": value])
        return RequestRefusal(.alreadyRegistered(field: field), zh: zh, en: en)
    }

    static func creditCode(_ party: Party) -> String? {
        if case .creditCode(let code) = party.identifier { return code.rawValue }
        return nil
    }

    // MARK: Reading

    public func registration(id: String) throws(ServiceError) -> StoredRegistration? {
        try ServiceError.reading { try store.registration(id: id) }
    }

    /// Pending requests, oldest first.
    public func pending() throws(ServiceError) -> [StoredRegistration] {
        try ServiceError.reading { try store.registrations(status: .pending) }
    }

    /// The pending request whose id is `prefix` or starts with it (at least 8 hex digits).
    public func pending(matching prefix: String) throws(ServiceError) -> StoredRegistration {
        let prefix = prefix.lowercased()
        let matches = prefix.count >= 8 ? try pending().filter { $0.id.hasPrefix(prefix) } : []
        guard matches.count == 1 else {
            if matches.isEmpty, let known = try registration(id: prefix), known.status != .pending {
                throw .request(RequestRefusal(.notPending, .registrationNotPending, ["id": known.id]))
            }
            throw .request(matches.isEmpty ? RequestRefusal(.unknownRegistration, .registrationUnknown, ["id": prefix])
                                           : RequestRefusal(.unknownRegistration, .registrationAmbiguous, ["id": prefix]))
        }
        return matches[0]
    }

    // MARK: Deciding (the county authority)

    /// Approves a pending request: re-checks it, signs its party record with the
    /// authority key through the one write path (as `yima party add`), then marks the
    /// request approved. A crash between the two leaves the party registered and the
    /// request pending; approving it again then refuses it as already registered.
    public func approve(_ prefix: String, authorityKey: PrivateKey) throws(ServiceError) -> (StoredRegistration, RecordReceipt) {
        var registration = try pending(matching: prefix)
        let envelope: Envelope
        do { envelope = try Envelope(encoded: registration.envelope) } catch { throw .envelope(error) }
        let request = try Self.open(envelope)
        try requireUnregistered(request)
        let receipt = try recording.record(draft: request.draft, kind: .party, key: authorityKey)
        let now = recording.clock.now().seconds
        let record = receipt.id.hex
        try ServiceError.reading { try store.decideRegistration(id: registration.id, status: .approved, at: now, reason: nil, record: record) }
        (registration.status, registration.decidedAt, registration.record) = (.approved, now, record)
        return (registration, receipt)
    }

    /// Rejects a pending request with the reason the producer will see.
    public func reject(_ prefix: String, reason: String) throws(ServiceError) -> StoredRegistration {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidArgument(.registrationReasonEmpty) }
        var registration = try pending(matching: prefix)
        let now = recording.clock.now().seconds
        try ServiceError.reading { try store.decideRegistration(id: registration.id, status: .rejected, at: now, reason: reason, record: nil) }
        (registration.status, registration.decidedAt, registration.reason) = (.rejected, now, reason)
        return registration
    }
}
