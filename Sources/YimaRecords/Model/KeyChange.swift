import YimaCrypto

/// A key record (`"kind":"key"`, docs/records.md §Key lifecycle): the county
/// authority rotates or revokes one key of a registered party.
///
///     {"action":"rotate","kid":"<old>","kind":"key","new_key":{…},"party":"…","time":"…","v":1}
///     {"action":"revoke","compromised_since":"…"?,"kid":"…","kind":"key","party":"…","reason":"…","time":"…","v":1}
public struct KeyChange: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// `new_key` takes over from `time`: the old key signs nothing from then on,
        /// and everything it signed before still verifies.
        case rotate(newKey: PartyPublicKey)
        /// The key is compromised since `compromised_since`; without it the time is
        /// unknown and everything the key ever signed is suspect.
        case revoke(compromisedSince: Timestamp?, reason: String)
    }

    public var party: PartyID
    /// The key rotated or revoked.
    public var keyID: KeyID
    /// When the authority signs the change (and, for a rotation, when it takes effect).
    public var time: Timestamp
    public var action: Action

    public init(party: PartyID, keyID: KeyID, time: Timestamp, action: Action) throws(RecordError) {
        self.party = party
        self.keyID = keyID
        self.time = time
        self.action = action
        try validate()
    }

    func validate() throws(RecordError) {
        switch action {
        case .rotate(let newKey):
            guard newKey.id != keyID else {
                throw RecordError.invalid("new_key.kid", .keyChangeSameKey)
            }
        case .revoke(let since, let reason):
            try FieldText.check(reason, at: "reason", maximumLength: 500)
            if let since, time < since {
                throw RecordError.invalid("compromised_since", .keyChangeCompromisedAfterRevocation)
            }
        }
    }

    public var json: JSONValue {
        var out = ObjectWriter()
        out["v"] = .integer(Record.payloadVersion)
        out["kind"] = "key"
        out["party"] = party.json
        out["kid"] = .string(keyID.hex)
        out["time"] = time.json
        switch action {
        case .rotate(let newKey):
            out["action"] = "rotate"
            out["new_key"] = newKey.json
        case .revoke(let since, let reason):
            out["action"] = "revoke"
            out["compromised_since"] = since?.json
            out["reason"] = .string(reason)
        }
        return out.value
    }

    init(reading reader: inout ObjectReader) throws(RecordError) {
        party = try reader.parsed("party", PartyID.parse)
        keyID = try reader.parsed("kid", KeyID.parse)
        time = try reader.parsed("time", Timestamp.parse)
        let action = try reader.string("action")
        switch action {
        case "rotate":
            self.action = .rotate(newKey: try reader.parsed("new_key", PartyPublicKey.parse))
        case "revoke":
            self.action = .revoke(compromisedSince: try reader.optionalParsed("compromised_since", Timestamp.parse),
                                  reason: try reader.text("reason", maximumLength: 500))
        default:
            throw RecordError.invalid("action", .keyChangeAction)
        }
        try validate()
    }
}

extension KeyID {
    /// A `kid` member: 16 lowercase hex digits.
    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> KeyID {
        let text = try ObjectReader.string(value, at: path)
        guard text == text.lowercased(), let id = KeyID(hex: text) else {
            throw RecordError.invalid(path, .keyIDShape)
        }
        return id
    }
}
