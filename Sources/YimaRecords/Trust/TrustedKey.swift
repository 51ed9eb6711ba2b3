import YimaCrypto

/// A registered key and its lifecycle (docs/trust-list.md §Key status).
public struct TrustedKey: Sendable, Hashable {
    public let key: PartyPublicKey
    public let party: PartyID
    /// When a rotated-in key took over; nil for keys of the registration itself.
    public internal(set) var activeFrom: Timestamp?
    /// When the key was rotated out.
    public internal(set) var retiredAt: Timestamp?
    public internal(set) var revocation: Revocation?

    /// A revocation: `since` is the compromise time, nil when unknown.
    public struct Revocation: Sendable, Hashable {
        public let since: Timestamp?
        public let reason: String
    }
}

/// A registered party and its keys in the order they were registered or rotated in.
public struct TrustedParty: Sendable, Hashable {
    public let party: Party
    public internal(set) var keys: [KeyID]
}
