import YimaCrypto
import YimaText

/// The public keys a verifier trusts, indexed by the short key id codes carry.
public struct TrustedKeys: Sendable {
    private var byHint: [UInt32: [PublicKey]] = [:]
    public private(set) var all: [PublicKey] = []

    public init(_ keys: [PublicKey] = []) {
        for key in keys { insert(key) }
    }

    public mutating func insert(_ key: PublicKey) {
        guard !all.contains(key) else { return }
        all.append(key)
        byHint[key.id.short, default: []].append(key)
    }

    /// Every trusted key whose id starts with `hint` (usually one; a 32-bit prefix
    /// can collide, so all are tried).
    public func candidates(forHint hint: UInt32) -> [PublicKey] { byHint[hint] ?? [] }
}

/// A verifier's finding about one scanned code.
public enum CodeVerdict: Sendable, Equatable {
    /// Well formed and signed by this trusted key.
    case genuine(PublicKey)
    /// Well formed, names a trusted key, but the signature does not match: a copied
    /// code with an altered GTIN, lot or serial, or a made-up one.
    case forged(keyHint: UInt32)
    /// Well formed, but no trusted key has this id.
    case unknownKey(keyHint: UInt32)
    /// Not a unit code at all; says why.
    case malformed(UnitCodeError)

    public var isGenuine: Bool { if case .genuine = self { true } else { false } }

    /// A stable machine-readable name (used in JSON output).
    public var name: String {
        switch self {
        case .genuine: "genuine"
        case .forged: "forged"
        case .unknownKey: "unknown-key"
        case .malformed: "malformed"
        }
    }

    public func message(in language: Language) -> String {
        switch self {
        case .genuine(let key):
            CodesMessage.verdictGenuine.text(in: language, ["key": key.id.hex, "algorithm": key.algorithm.displayName])
        case .forged(let hint):
            CodesMessage.verdictForged.text(in: language, ["key": Self.hex(hint)])
        case .unknownKey(let hint):
            CodesMessage.verdictUnknownKey.text(in: language, ["key": Self.hex(hint)])
        case .malformed(let error):
            CodesMessage.verdictMalformed.text(in: language, ["reason": error.message(in: language)])
        }
    }

    /// A short key id as the 8 hex digits that begin the full key id.
    static func hex(_ hint: UInt32) -> String {
        Hex.encode([UInt8(hint >> 24), UInt8(hint >> 16 & 0xff), UInt8(hint >> 8 & 0xff), UInt8(hint & 0xff)])
    }
}

/// Verifies unit codes offline against a set of trusted keys.
public struct UnitCodeVerifier: Sendable {
    public let trusted: TrustedKeys

    public init(trusted: TrustedKeys) { self.trusted = trusted }

    /// Parses and checks one scanned string. Bulk callers pass a per-thread
    /// `Verifier` to reuse OpenSSL contexts.
    public func verify(_ scanned: String, using verifier: Verifier? = nil) -> (code: UnitCode?, verdict: CodeVerdict) {
        do {
            let code = try UnitCode.parse(scanned)
            return (code, verify(code, using: verifier))
        } catch {
            return (nil, .malformed(error))
        }
    }

    /// Checks a parsed code's signature.
    public func verify(_ code: UnitCode, using verifier: Verifier? = nil) -> CodeVerdict {
        let candidates = trusted.candidates(forHint: code.keyHint)
        guard !candidates.isEmpty else { return .unknownKey(keyHint: code.keyHint) }
        for key in candidates {
            let message = UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial)
            let valid = verifier?.isValidSignature(code.signature, for: message, by: key)
                ?? key.isValidSignature(code.signature, for: message)
            if valid { return .genuine(key) }
        }
        return .forged(keyHint: code.keyHint)
    }
}
