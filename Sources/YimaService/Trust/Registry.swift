import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// The key registry (docs/trust-list.md): the ONE place that decides whether a key
/// may have signed something. The write path, the resolver's verdicts, chain
/// verification and the trust list all ask here.
public struct Registry: Sendable {
    let records: any RecordStore
    /// Keys allowed to sign party registrations and key changes (the county authority).
    public let authorities: [PublicKey]
    let cache = RegistryCache()
    /// Parties by key, decoded once.
    let parties = RecordCache()

    /// The registry of parties and key changes, with its version. `maxAge` lets a
    /// hot path (the resolver) skip re-reading the version for that long; writes use
    /// zero and always see the latest revocation.
    public func keyRegistry(maxAge: Duration = .zero) throws(ServiceError) -> (registry: KeyRegistry, version: Int64) {
        if maxAge > .zero, let cached = cache.fresh(maxAge: maxAge) { return (cached.registry, cached.version) }
        let version = try ServiceError.reading { try records.registryVersion() }
        let entry = try ServiceError.reading {
            try cache.registry(version: version) {
                var registry = KeyRegistry()
                for record in try registryRecords() {
                    do { try registry.apply(try RecordCache.decode(record).record) } catch let problem as KeyRegistry.Problem {
                        throw StoreError.database("registry record \(Hex.encode(record.id)): \(problem.en)")
                    }
                }
                return registry
            }
        }
        return (entry.registry, entry.version)
    }

    /// Party and key records in log order: what the registry is built from.
    func registryRecords() throws(StoreError) -> [StoredRecord] {
        (try records.records(kind: .party) + records.records(kind: .key)).sorted { $0.sequence < $1.sequence }
    }

    /// The status of `keyID` for a signature made at `signedAt` (nil: unknown time),
    /// with the party it belongs to.
    public func keyStatus(_ keyID: KeyID, signedAt: Instant?, maxAge: Duration = .zero) throws(ServiceError) -> (status: KeyStatus, party: Party?) {
        let registry = try keyRegistry(maxAge: maxAge).registry
        return (registry.status(of: keyID, signedAt: signedAt), registry.party(forKey: keyID))
    }

    /// The registered party a key belongs to (decoded once, then cached).
    func registeredParty(forKey keyID: String) throws(ServiceError) -> Party? {
        try ServiceError.reading { try parties.party(forKey: keyID) { try records.partyRecord(forKey: keyID) } }
    }

    /// The registered party that owns `key`.
    public func party(of key: PrivateKey) throws(ServiceError) -> Party {
        guard let party = try registeredParty(forKey: key.id.hex) else {
            throw .rejected(.unknownKey, .keyNotRegisteredAsk, ["key": key.id])
        }
        return party
    }

    /// The key that must have signed an envelope of `kind`: an authority key for
    /// registry records (`Record.isSignedByAuthority`), else a registered party's.
    func signerKey(of envelope: Envelope, kind: Record.Kind) -> PublicKey? {
        if Record.isSignedByAuthority(kind) { return authorities.first { $0.id == envelope.keyID } }
        return (try? registeredParty(forKey: envelope.keyID.hex))??.publicKey(envelope.keyID)
    }

    /// The party whose registered key signed `envelope`, after checking the signature
    /// and that the key may sign at `time`: not revoked, not rotated out, within the
    /// party's registration window. Without `verifying` the signature is not checked
    /// (the dry run of an unsigned draft).
    func signingParty(of envelope: Envelope, at time: Instant, verifying: Bool = true) throws(ServiceError) -> Party {
        let registry = try keyRegistry().registry
        guard let entry = registry.keys[envelope.keyID], let party = registry.party(forKey: envelope.keyID) else {
            throw .rejected(.unknownKey, .keyNotRegistered, ["key": envelope.keyID])
        }
        if verifying { try Self.verify(envelope, with: entry.key.key) }
        let status = registry.status(of: envelope.keyID, signedAt: time, newSignature: true)
        guard status.isValid else {
            throw .rejected(.keyNotValid) {
                ServiceMessage.keyMayNotSign.text(in: $0, ["status": status.message(keyID: envelope.keyID.hex, in: $0)])
            }
        }
        return party
    }

    /// The write path's first check (docs/api.md §Write API): the signer is of the
    /// kind the record needs (`Record.isSignedByAuthority`), an authority key or a key
    /// some registered party holds. Its signature and status are checked later.
    func requireEligibleSigner(_ envelope: Envelope, kind: Record.Kind) throws(ServiceError) {
        if Record.isSignedByAuthority(kind) {
            _ = try authority(signing: envelope, kind: kind)
        } else if try registeredParty(forKey: envelope.keyID.hex) == nil {
            throw .rejected(.signerNotRegistered, .keyNotRegistered, ["key": envelope.keyID])
        }
    }

    /// The authority key that signed a registry record (a party or key change).
    func authority(signing envelope: Envelope, kind: Record.Kind) throws(ServiceError) -> PublicKey {
        guard let authority = authorities.first(where: { $0.id == envelope.keyID }) else {
            let what: ServiceMessage = kind == .party ? .partyRecords : .keyChangeRecords
            throw .rejected(.notAuthority) {
                ServiceMessage.authorityOnly.text(in: $0, ["what": what.text(in: $0), "key": envelope.keyID])
            }
        }
        return authority
    }

    static func verify(_ envelope: Envelope, with key: PublicKey) throws(ServiceError) {
        do { try envelope.requireValid(with: key) } catch { throw .envelope(error) }
    }
}
