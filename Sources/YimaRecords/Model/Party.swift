import YimaCrypto
import YimaText

/// What a party does in the supply chain; the rules decide which event types
/// each role may sign (docs/records.md §Roles).
public enum PartyRole: String, Sendable, Hashable, CaseIterable {
    case producer, cooperative, processor, carrier, market, retailer, laboratory, regulator

    public func name(in language: Language) -> String {
        let name: RecordsMessage = switch self {
        case .producer: .roleProducer
        case .cooperative: .roleCooperative
        case .processor: .roleProcessor
        case .carrier: .roleCarrier
        case .market: .roleMarket
        case .retailer: .roleRetailer
        case .laboratory: .roleLaboratory
        case .regulator: .roleRegulator
        }
        return name.text(in: language)
    }
}

/// How a party is identified by the state: an organisation by its unified social
/// credit code, a natural person (a farmer without a business licence) by a salted
/// digest of the identity number, never the number itself.
public enum PartyIdentifier: Sendable, Hashable {
    /// `credit_code`: 统一社会信用代码 (GB 32100-2015).
    case creditCode(UnifiedSocialCreditCode)
    /// `person_id`: digest of a 公民身份号码 (GB 11643-1999).
    case naturalPerson(PersonalIDDigest)
}

/// A public key a party signs with: `{"alg":"ed25519","kid":"<16 hex>","spki":"<base64>"}`
/// where `spki` is the standard, padded base64 (RFC 4648 §4) of the DER
/// SubjectPublicKeyInfo — the body of its PEM, so an auditor rebuilds the PEM by
/// wrapping it in `-----BEGIN PUBLIC KEY-----` lines. `kid` and `alg` must match the key.
public struct PartyPublicKey: Sendable, Hashable {
    public let key: PublicKey
    public var id: KeyID { key.id }
    public var algorithm: SignatureAlgorithm { key.algorithm }

    public init(_ key: PublicKey) { self.key = key }

    public var json: JSONValue {
        .object(["alg": .string(key.algorithm.rawValue), "kid": .string(key.id.hex),
                 "spki": .string(Base64.encode(key.subjectPublicKeyInfo))])
    }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> PartyPublicKey {
        var reader = try ObjectReader(value, path: path)
        let alg = try reader.string("alg")
        let kid = try reader.string("kid")
        let spki = try reader.string("spki")
        try reader.finish()
        guard let der = Base64.decode(spki), Base64.encode(der) == spki,
              let key = try? PublicKey(subjectPublicKeyInfo: der) else {
            throw RecordError.invalid("\(path).spki", .partyKeyNotSPKI)
        }
        guard key.algorithm.rawValue == alg else {
            throw RecordError.invalid("\(path).alg", .partyKeyAlgorithm, ["algorithm": key.algorithm.rawValue])
        }
        guard key.id.hex == kid else {
            throw RecordError.invalid("\(path).kid", .partyKeyID, ["kid": key.id.hex])
        }
        return PartyPublicKey(key)
    }
}

/// A party record (`"kind":"party"`): a producer, cooperative, processor, carrier,
/// market, retailer, laboratory or regulator, with the keys it signs with.
public struct Party: Sendable, Hashable {
    public var id: PartyID
    public var name: String
    /// At least one role, no repeats, in the order given.
    public var roles: [PartyRole]
    public var identifier: PartyIdentifier
    public var address: String
    /// A contact line (phone or e-mail of the business, not a private person's).
    public var contact: String?
    public var publicKeys: [PartyPublicKey]
    /// The registration's validity window (`valid_from`, `valid_until`): the party's
    /// keys sign nothing before or after it. Absent means open (docs/records.md §Parties).
    public var validFrom: Timestamp?
    public var validUntil: Timestamp?

    public init(id: PartyID, name: String, roles: [PartyRole], identifier: PartyIdentifier, address: String,
                contact: String? = nil, publicKeys: [PartyPublicKey],
                validFrom: Timestamp? = nil, validUntil: Timestamp? = nil) throws(RecordError) {
        self.id = id
        self.name = name
        self.roles = roles
        self.identifier = identifier
        self.address = address
        self.contact = contact
        self.publicKeys = publicKeys
        self.validFrom = validFrom
        self.validUntil = validUntil
        try validate()
    }

    func validate() throws(RecordError) {
        try FieldText.check(name, at: "name")
        try FieldText.check(address, at: "address")
        if let contact { try FieldText.check(contact, at: "contact", maximumLength: 100) }
        guard !roles.isEmpty else { throw RecordError.invalid("roles", .partyNoRole) }
        guard Set(roles).count == roles.count else { throw RecordError.invalid("roles", .partyRoleRepeated) }
        guard Set(publicKeys.map(\.id)).count == publicKeys.count else {
            throw RecordError.invalid("public_keys", .partyKeyRepeated)
        }
        if let validFrom, let validUntil, !(validFrom < validUntil) {
            throw RecordError.invalid("valid_until", .partyValidUntil)
        }
    }

    public func hasRole(_ role: PartyRole) -> Bool { roles.contains(role) }

    /// The key with id `id`, if this party lists it.
    public func publicKey(_ id: KeyID) -> PublicKey? { publicKeys.first { $0.id == id }?.key }

    public var json: JSONValue {
        var out = ObjectWriter()
        out["v"] = .integer(Record.payloadVersion)
        out["kind"] = "party"
        out["id"] = id.json
        out["name"] = .string(name)
        out["roles"] = .array(roles.map { .string($0.rawValue) })
        switch identifier {
        case .creditCode(let code): out["credit_code"] = code.json
        case .naturalPerson(let digest): out["person_id"] = digest.json
        }
        out["address"] = .string(address)
        out["contact"] = contact.map(JSONValue.string)
        out["public_keys"] = .array(publicKeys.map(\.json))
        out["valid_from"] = validFrom?.json
        out["valid_until"] = validUntil?.json
        return out.value
    }

    init(reading reader: inout ObjectReader) throws(RecordError) {
        id = try reader.parsed("id", PartyID.parse)
        name = try reader.text("name")
        roles = try ObjectReader.elements(reader.array("roles"), at: "roles") { value, path throws(RecordError) in
            let text = try ObjectReader.string(value, at: path)
            guard let role = PartyRole(rawValue: text) else {
                throw RecordError.invalid(path, .partyRoleUnknown, ["role": text])
            }
            return role
        }
        let credit = try reader.optionalParsed("credit_code", UnifiedSocialCreditCode.parse)
        let person = try reader.optionalParsed("person_id", PersonalIDDigest.parse)
        switch (credit, person) {
        case (let code?, nil): identifier = .creditCode(code)
        case (nil, let digest?): identifier = .naturalPerson(digest)
        case (nil, nil): throw RecordError(field: "credit_code", problem: .missing)
        case (_?, _?):
            throw RecordError.invalid("person_id", .partyTwoIdentifiers)
        }
        address = try reader.text("address")
        contact = try reader.optionalText("contact", maximumLength: 100)
        publicKeys = try ObjectReader.elements(reader.array("public_keys"), at: "public_keys", PartyPublicKey.parse)
        validFrom = try reader.optionalParsed("valid_from", Timestamp.parse)
        validUntil = try reader.optionalParsed("valid_until", Timestamp.parse)
        try validate()
    }
}
