import YimaCrypto
import YimaRecords
import YimaStore

/// Checks of the write path that look beyond the batch: key changes against the
/// registry, and the certificates a split or merged lot's certificate cites.
extension Recording {
    /// Checks a key rotation or revocation against the registry.
    func acceptKeyChange(_ change: KeyChange, _ envelope: Envelope, verifying: Bool = true) throws(ServiceError) -> NewRecord {
        let authority = try registry.authority(signing: envelope, kind: .key)
        if verifying { try Registry.verify(envelope, with: authority) }
        if let problem = try registry.keyRegistry().registry.problem(with: change) {
            let reason: Rejection = switch problem.kind {
            case .unknownParty, .unknownKey: .unknownKey
            case .duplicate: .duplicate
            case .notActive: .keyNotValid
            }
            throw .rejected(reason, problem.en, zh: problem.zh)
        }
        let latest = clock.now().adding(clock.skew)
        guard !(latest < change.time.instant) else {
            throw .rejected(.notAuthorised, .keyChangeInFuture, ["time": change.time])
        }
        var effects: [RecordEffect] = []
        if case .rotate(let newKey) = change.action {
            effects.append(.addPartyKey(id: change.party.rawValue, keyID: newKey.id.hex))
        }
        return NewRecord(id: envelope.recordID.bytes, kind: .key, signerKeyID: envelope.keyID.hex,
                         envelope: envelope.encoded, effects: effects)
    }

    /// A split or merged lot's certificate must point at stored certificates.
    func requireCertificates(_ sources: [RecordID]) throws(ServiceError) {
        for source in sources {
            guard case .event(let event)? = try reader.record(id: source)?.record, event.type == .certificate else {
                throw .rejected(.unknownReference, .sourceNotCertificate, ["source": source])
            }
        }
    }
}
