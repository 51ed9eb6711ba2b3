import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Key lifecycle and trust lists (docs/trust-list.md): the authority rotates and
/// revokes parties' keys, and signs the list of keys and recalls that offline
/// verifiers load. Whether a key may sign is the `Registry`'s to say.
public struct Keys: Sendable {
    let recording: Recording
    public let registry: Registry
    let records: any RecordStore
}

extension Keys {
    /// Signs and stores a key rotation: `newKey` takes over from `oldKeyID` at `time`
    /// (now if nil). `authority` must be an authority key.
    @discardableResult
    public func rotateKey(party: String, oldKeyID: String, newKey: PublicKey, time: String? = nil,
                          authority: PrivateKey) throws(ServiceError) -> (StoredRecord, Record) {
        try submitKeyChange(party: party, keyID: oldKeyID, time: time, authority: authority) { _ in
            ["action": "rotate", "new_key": PartyPublicKey(newKey).json]
        }
    }

    /// Signs and stores a revocation of `keyID`, compromised since `compromisedSince`
    /// (unknown if nil).
    @discardableResult
    public func revokeKey(party: String, keyID: String, compromisedSince: String?, reason: String,
                          authority: PrivateKey) throws(ServiceError) -> (StoredRecord, Record) {
        try submitKeyChange(party: party, keyID: keyID, time: nil, authority: authority) { _ in
            var fields: [String: JSONValue] = ["action": "revoke", "reason": .string(reason)]
            if let compromisedSince { fields["compromised_since"] = .string(compromisedSince) }
            return fields
        }
    }

    private func submitKeyChange(party: String, keyID: String, time: String?, authority: PrivateKey,
                                 fields: (String) -> [String: JSONValue]) throws(ServiceError) -> (StoredRecord, Record) {
        let signed = time ?? recording.clock.timestamp()
        var draft: [String: JSONValue] = ["party": .string(party), "kid": .string(keyID), "time": .string(signed)]
        draft.merge(fields(signed)) { $1 }
        return try recording.submit(draft: .object(draft), kind: .key, key: authority)
    }
}
