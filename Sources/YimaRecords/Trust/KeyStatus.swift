import YimaText
import YimaCrypto

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
        let zh = language == .chinese
        switch self {
        case .valid:
            return zh ? "密钥 \(keyID) 有效" : "key \(keyID) is valid"
        case .unknownKey:
            return zh ? "密钥 \(keyID) 不属于任何已登记主体" : "key \(keyID) belongs to no registered party"
        case .notYetValid(let from):
            return zh ? "密钥 \(keyID) 自 \(from) 起才生效" : "key \(keyID) is valid only from \(from)"
        case .expired(let until):
            return zh ? "密钥 \(keyID) 所属主体的登记已于 \(until) 到期" : "the registration of key \(keyID)'s party ended at \(until)"
        case .retired(let at):
            return zh ? "密钥 \(keyID) 已于 \(at) 轮换停用" : "key \(keyID) was rotated out at \(at)"
        case .revoked(let since?, let reason):
            return zh ? "密钥 \(keyID) 已被吊销，自 \(since) 起泄露（\(reason)）：此后签名的内容无效"
                      : "key \(keyID) is revoked, compromised since \(since) (\(reason)): what it signed after that is void"
        case .revoked(nil, let reason):
            return zh ? "密钥 \(keyID) 已被吊销，泄露时间不明（\(reason)）：其签名的一切内容均须核查"
                      : "key \(keyID) is revoked with an unknown compromise time (\(reason)): everything it signed is suspect"
        }
    }
}
