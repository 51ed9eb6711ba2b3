import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Key lifecycle (docs/trust-list.md): the ONE place where the service decides
/// whether a key may have signed something. The write path, the resolver's
/// verdicts, `yima chain --verify` and the trust list all go through `keyStatus`.
extension TraceService {
    /// The registry of parties and key changes, with its version. `maxAge` lets a
    /// hot path (the resolver) skip re-reading the version for that long; writes use
    /// zero and always see the latest revocation.
    public func keyRegistry(maxAge: Duration = .zero) throws(ServiceError) -> (registry: KeyRegistry, version: Int64) {
        if maxAge > .zero, let cached = registryCache.fresh(maxAge: maxAge) { return (cached.registry, cached.version) }
        let version = try lookup { try store.registryVersion() }
        let entry = try lookup {
            try registryCache.registry(version: version) {
                let stored = (try store.records(kind: .party) + store.records(kind: .key)).sorted { $0.sequence < $1.sequence }
                var registry = KeyRegistry()
                for record in stored {
                    do { try registry.apply(try RecordCache.decode(record).record) } catch let problem as KeyRegistry.Problem {
                        throw StoreError.database("registry record \(Hex.encode(record.id)): \(problem.en)")
                    }
                }
                return registry
            }
        }
        return (entry.registry, entry.version)
    }

    /// The status of `keyID` for a signature made at `signedAt` (nil: unknown time),
    /// with the party it belongs to.
    public func keyStatus(_ keyID: KeyID, signedAt: Instant?, maxAge: Duration = .zero) throws(ServiceError) -> (status: KeyStatus, party: Party?) {
        let registry = try keyRegistry(maxAge: maxAge).registry
        return (registry.status(of: keyID, signedAt: signedAt), registry.party(forKey: keyID))
    }

    /// The party whose registered key signed `envelope`, after checking the signature
    /// and that the key may sign now: not revoked, not rotated out, within the
    /// party's registration window.
    func signingParty(of envelope: Envelope) throws(ServiceError) -> Party {
        let registry = try keyRegistry().registry
        guard let entry = registry.keys[envelope.keyID], let party = registry.party(forKey: envelope.keyID) else {
            throw .rejected(.unknownKey, "key \(envelope.keyID) belongs to no registered party", zh: "密钥 \(envelope.keyID) 不属于任何已登记主体")
        }
        try verify(envelope, with: entry.key.key)
        let status = registry.status(of: envelope.keyID, signedAt: now(), newSignature: true)
        guard status.isValid else {
            throw .rejected(.keyNotValid, "\(status.message(keyID: envelope.keyID.hex, in: .english)); it may not sign new records",
                            zh: "\(status.message(keyID: envelope.keyID.hex, in: .chinese))，不能再签署新记录")
        }
        return party
    }

    /// The authority key that signed a registry record (a party or key change), after
    /// checking its signature.
    func requireAuthority(_ envelope: Envelope, for what: (en: String, zh: String)) throws(ServiceError) {
        guard let authority = authorities.first(where: { $0.id == envelope.keyID }) else {
            throw .rejected(.notAuthority, "\(what.en) must be signed by the county authority; key \(envelope.keyID) is not an authority key",
                            zh: "\(what.zh)须由县级监管部门签名，密钥 \(envelope.keyID) 不是监管部门密钥")
        }
        try verify(envelope, with: authority)
    }

    /// Checks a key rotation or revocation against the registry.
    func acceptKeyChange(_ change: KeyChange, _ envelope: Envelope) throws(ServiceError) -> NewRecord {
        try requireAuthority(envelope, for: ("key rotations and revocations", "密钥轮换与吊销"))
        if let problem = try keyRegistry().registry.problem(with: change) {
            let reason: Rejection = switch problem.kind {
            case .unknownParty, .unknownKey: .unknownKey
            case .duplicate: .duplicate
            case .notActive: .keyNotValid
            }
            throw .rejected(reason, problem.en, zh: problem.zh)
        }
        let latest = now().adding(clockSkew)
        guard !(latest < change.time.instant) else {
            throw .rejected(.notAuthorised, "the key change's time \(change.time) is in the future",
                            zh: "密钥变更时间 \(change.time) 在将来")
        }
        var effects: [RecordEffect] = []
        if case .rotate(let newKey) = change.action {
            effects.append(.addPartyKey(id: change.party.rawValue, keyID: newKey.id.hex))
        }
        return NewRecord(id: envelope.recordID.bytes, kind: .key, signerKeyID: envelope.keyID.hex,
                         envelope: envelope.encoded, effects: effects)
    }
}

extension TraceService {
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
        let signed = time ?? Self.timestamp(now())
        var draft: [String: JSONValue] = ["party": .string(party), "kid": .string(keyID), "time": .string(signed)]
        draft.merge(fields(signed)) { $1 }
        return try submit(draft: .object(draft), kind: .key, key: authority)
    }
}
