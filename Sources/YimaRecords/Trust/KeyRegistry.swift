import YimaCodes
import YimaCrypto

/// Who may sign what and when: parties registered by the authority and every key
/// rotation and revocation since, applied in log order. Built from the store by the
/// service and from a trust list by offline verifiers, so both judge a key by the
/// same `status(of:signedAt:)` (docs/trust-list.md §Key status).
public struct KeyRegistry: Sendable {
    public private(set) var parties: [PartyID: TrustedParty] = [:]
    public private(set) var keys: [KeyID: TrustedKey] = [:]

    public init() {}

    /// The key's status for a signature made at `signedAt`, or at an unknown time
    /// (nil: a unit code carries no time). Revocation wins over everything; with an
    /// unknown signing time a known compromise time cannot clear it. Rotation and the
    /// registration window limit only signatures whose time is known, so labels
    /// printed before stay genuine.
    ///
    /// `newSignature` judges a signature being made now (the write path): then a
    /// rotation counts from its very time, with no grace for its own second.
    public func status(of keyID: KeyID, signedAt: Instant?, newSignature: Bool = false) -> KeyStatus {
        guard let entry = keys[keyID], let party = parties[entry.party]?.party else { return .unknownKey }
        if let revocation = entry.revocation {
            if let since = revocation.since, let signedAt, signedAt < since.instant {
                // Signed before the compromise: still good, subject to the checks below.
            } else {
                return .revoked(since: revocation.since, reason: revocation.reason)
            }
        }
        guard let signedAt else { return .valid }
        if let from = party.validFrom, signedAt < from.instant { return .notYetValid(from: from) }
        if let until = party.validUntil, !(signedAt < until.instant) { return .expired(until: until) }
        if let from = entry.activeFrom, signedAt < from.instant { return .notYetValid(from: from) }
        // Rotation times are whole seconds: what was signed within the rotation's own
        // second counts as before it (a rotation is no compromise).
        if let retired = entry.retiredAt, retired.instant.adding(newSignature ? .zero : .seconds(1)) <= signedAt {
            return .retired(at: retired)
        }
        return .valid
    }

    public func party(forKey keyID: KeyID) -> Party? {
        keys[keyID].flatMap { parties[$0.party]?.party }
    }

    // MARK: Building

    /// Why a registry record cannot apply, in Chinese and English.
    public struct Problem: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case unknownParty, unknownKey, duplicate, notActive }
        public let kind: Kind
        public let zh: String
        public let en: String

        init(kind: Kind, _ message: RecordsMessage, _ arguments: KeyValuePairs<String, Any>) {
            self.kind = kind
            (zh, en) = message.texts(arguments)
        }
    }

    /// Registers a party with the keys it lists.
    public mutating func register(_ party: Party) throws(Problem) {
        guard parties[party.id] == nil else {
            throw Problem(kind: .duplicate, .registryPartyRegistered, ["party": party.id])
        }
        for key in party.publicKeys where keys[key.id] != nil {
            throw Problem(kind: .duplicate, .registryKeyRegistered, ["key": key.id])
        }
        parties[party.id] = TrustedParty(party: party, keys: party.publicKeys.map(\.id))
        for key in party.publicKeys { keys[key.id] = TrustedKey(key: key, party: party.id) }
    }

    /// What applying `change` would be refused for, without applying it.
    public func problem(with change: KeyChange) -> Problem? {
        guard parties[change.party] != nil else {
            return Problem(kind: .unknownParty, .registryUnknownParty, ["party": change.party])
        }
        guard let entry = keys[change.keyID], entry.party == change.party else {
            return Problem(kind: .unknownKey, .registryNotPartysKey, ["key": change.keyID, "party": change.party])
        }
        if entry.revocation != nil {
            return Problem(kind: .notActive, .registryKeyRevoked, ["key": change.keyID])
        }
        if case .rotate(let newKey) = change.action {
            if entry.retiredAt != nil {
                return Problem(kind: .notActive, .registryKeyRetired, ["key": change.keyID])
            }
            if keys[newKey.id] != nil {
                return Problem(kind: .duplicate, .registryNewKeyRegistered, ["key": newKey.id])
            }
        }
        return nil
    }

    /// Applies a rotation or revocation; refuses what `problem(with:)` names.
    public mutating func apply(_ change: KeyChange) throws(Problem) {
        if let problem = problem(with: change) { throw problem }
        switch change.action {
        case .rotate(let newKey):
            keys[change.keyID]?.retiredAt = change.time
            keys[newKey.id] = TrustedKey(key: newKey, party: change.party, activeFrom: change.time)
            parties[change.party]?.keys.append(newKey.id)
        case .revoke(let since, let reason):
            keys[change.keyID]?.revocation = TrustedKey.Revocation(since: since, reason: reason)
        }
    }

    /// Applies a registry record (a party or a key change); other kinds are ignored.
    public mutating func apply(_ record: Record) throws(Problem) {
        switch record {
        case .party(let party): try register(party)
        case .key(let change): try apply(change)
        default: break
        }
    }
}
