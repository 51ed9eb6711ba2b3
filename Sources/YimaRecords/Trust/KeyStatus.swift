import YimaCrypto
import YimaText

/// Whether a key may have signed something at a given time (docs/trust-list.md §Key status).
public enum KeyStatus: Sendable, Hashable {
    case valid
    /// No registered party has this key.
    case unknownKey
    /// Signed before the party's registration or the key's rotation took effect.
    case notYetValid(from: Timestamp)
    /// Signed after the party's registration ended.
    case expired(until: Timestamp)
    /// Signed at or after the key was rotated out; what it signed before still holds.
    case retired(at: Timestamp)
    /// Signed after the key was compromised, or at an unknown time by a key whose
    /// compromise time is unknown (`since` nil) or not established.
    case revoked(since: Timestamp?, reason: String)

    public var isValid: Bool { self == .valid }

    /// A stable machine-readable name.
    public var name: String {
        switch self {
        case .valid: "valid"
        case .unknownKey: "unknown-key"
        case .notYetValid: "not-yet-valid"
        case .expired: "expired"
        case .retired: "retired"
        case .revoked: "revoked"
        }
    }

    public func message(keyID: String, in language: Language) -> String {
        switch self {
        case .valid:
            RecordsMessage.keyValid.text(in: language, ["key": keyID])
        case .unknownKey:
            RecordsMessage.keyUnknown.text(in: language, ["key": keyID])
        case .notYetValid(let from):
            RecordsMessage.keyNotYetValid.text(in: language, ["key": keyID, "from": from])
        case .expired(let until):
            RecordsMessage.keyExpired.text(in: language, ["key": keyID, "until": until])
        case .retired(let at):
            RecordsMessage.keyRetired.text(in: language, ["key": keyID, "at": at])
        case .revoked(let since?, let reason):
            RecordsMessage.keyRevokedSince.text(in: language, ["key": keyID, "since": since, "reason": reason])
        case .revoked(nil, let reason):
            RecordsMessage.keyRevokedAtUnknownTime.text(in: language, ["key": keyID, "reason": reason])
        }
    }
}
