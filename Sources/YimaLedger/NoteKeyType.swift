import YimaCrypto

/// The signature types a note key can have (c2sp.org/signed-note §"Signature
/// types"), with the bytes that identify the type in key IDs and verifier keys.
public enum NoteKeyType: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Ed25519 (RFC 8032) over the note text; identifier `0x01`; key = the 32-byte
    /// RFC 8032 public key.
    case ed25519
    /// **Yima extension, not part of C2SP**: SM2 with SM3 (GM/T 0003.2, distinguishing
    /// ID "1234567812345678") over the note text, signature r‖s (64 bytes).
    /// Identifier `0xFF` followed by the ASCII bytes `yima-sm2` (the C2SP type for
    /// signature types without an assigned byte, followed by a longer identifier,
    /// as the spec recommends); key = the 65-byte uncompressed point 04‖X‖Y.
    /// Other verifiers ignore these signatures as from unknown keys.
    case sm2

    /// The type identifier bytes hashed into the key ID and prefixed to the key in
    /// a verifier key.
    public var identifier: [UInt8] {
        switch self {
        case .ed25519: [0x01]
        case .sm2: [0xFF] + Array("yima-sm2".utf8)
        }
    }

    /// The length of the encoded public key after the identifier.
    public var publicKeyLength: Int {
        switch self {
        case .ed25519: 32
        case .sm2: 65
        }
    }

    var signatureAlgorithm: SignatureAlgorithm {
        switch self {
        case .ed25519: .ed25519
        case .sm2: .sm2
        }
    }

    init?(_ algorithm: SignatureAlgorithm) {
        switch algorithm {
        case .ed25519: self = .ed25519
        case .sm2: self = .sm2
        case .p256: return nil
        }
    }

    /// DER SubjectPublicKeyInfo prefixes that precede the raw key: Ed25519
    /// (RFC 8410 §4) and an EC key on the SM2 curve (OID 1.2.156.10197.1.301).
    var subjectPublicKeyInfoPrefix: [UInt8] {
        switch self {
        case .ed25519:
            [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
        case .sm2:
            [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
             0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d, 0x03, 0x42, 0x00]
        }
    }

    public var description: String {
        switch self {
        case .ed25519: "Ed25519"
        case .sm2: "SM2 (Yima extension)"
        }
    }

    /// `SHA-256(key name || 0x0A || type identifier || public key)[:4]`, big-endian.
    static func keyID(name: String, type: NoteKeyType, publicKey: [UInt8]) -> UInt32 {
        let digest = Digest.sha256(Array(name.utf8) + [0x0A] + type.identifier + publicKey)
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
