import YimaCrypto

/// A public key that verifies note signatures, known by its key name and key ID
/// (c2sp.org/signed-note §"Signatures").
///
/// Its text form, the verifier key, is `<name>+<key ID, 8 hex digits>+<base64(type
/// identifier || public key)>`, e.g. `example.com/foo+530d903a+AekyeRrm…`.
public struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let keyID: UInt32
    public let keyType: NoteKeyType
    public let publicKey: PublicKey
    /// The encoded public key (32 bytes for Ed25519, 65 for SM2).
    public let publicKeyBytes: [UInt8]

    /// A verifier for `publicKey` under `name`; the key ID is computed.
    public init(name: String, publicKey: PublicKey) throws(NoteError) {
        try validateKeyName(name)
        guard let type = NoteKeyType(publicKey.algorithm) else {
            throw .unsupportedKeyType(publicKey.algorithm.displayName)
        }
        let raw = Array(publicKey.subjectPublicKeyInfo.suffix(type.publicKeyLength))
        self.name = name
        self.keyType = type
        self.publicKey = publicKey
        self.publicKeyBytes = raw
        self.keyID = NoteKeyType.keyID(name: name, type: type, publicKey: raw)
    }

    /// Parses a verifier key `<name>+<hex key ID>+<base64 key>`, checking that the
    /// declared key ID is the hash of the name and key.
    public init(verifierKey: String) throws(NoteError) {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedVerifierKey("expected <name>+<key id>+<key>") }
        let name = String(parts[0])
        try validateKeyName(name)
        guard parts[1].utf8.count == 8, parts[1].utf8.allSatisfy(isLowerHexDigit),
              let declared = UInt32(parts[1], radix: 16) else {
            throw .malformedVerifierKey("key ID \"\(parts[1])\" is not 8 lowercase hex digits")
        }
        guard let encoded = Base64.decode(parts[2]), Base64.encode(encoded) == parts[2] else {
            throw .malformedVerifierKey("key is not canonical standard base64")
        }
        guard let type = NoteKeyType.allCases.first(where: { encoded.starts(with: $0.identifier) }) else {
            throw .unsupportedKeyType(encoded.first.map { "type byte 0x" + String($0, radix: 16) } ?? "empty key")
        }
        let raw = Array(encoded.dropFirst(type.identifier.count))
        guard raw.count == type.publicKeyLength else {
            throw .malformedVerifierKey("\(type) key is \(raw.count) bytes, expected \(type.publicKeyLength)")
        }
        let computed = NoteKeyType.keyID(name: name, type: type, publicKey: raw)
        guard computed == declared else { throw .keyIDMismatch(keyName: name, declared: declared, computed: computed) }
        let key: PublicKey
        do {
            key = try PublicKey(subjectPublicKeyInfo: type.subjectPublicKeyInfoPrefix + raw)
        } catch {
            throw .malformedVerifierKey("not a valid \(type) public key")
        }
        guard key.algorithm == type.signatureAlgorithm else { throw .unsupportedKeyType("\(key.algorithm.displayName) key under \(type) type") }
        self.name = name
        self.keyID = declared
        self.keyType = type
        self.publicKey = key
        self.publicKeyBytes = raw
    }

    /// The verifier key text.
    public var verifierKey: String {
        "\(name)+\(hex8(keyID))+\(Base64.encode(keyType.identifier + publicKeyBytes))"
    }

    public var description: String { verifierKey }

    /// Whether `signature` (without the 4-byte key ID) is this key's signature of `text`.
    public func isValidSignature(_ signature: [UInt8], for text: String) -> Bool {
        publicKey.isValidSignature(signature, for: Array(text.utf8))
    }

    public static func == (a: NoteVerifier, b: NoteVerifier) -> Bool {
        a.name == b.name && a.keyID == b.keyID && a.publicKeyBytes == b.publicKeyBytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(keyID)
    }
}

/// c2sp.org/signed-note: key names are non-empty and contain no Unicode spaces
/// and no `+`.
func validateKeyName(_ name: String) throws(NoteError) {
    guard !name.isEmpty,
          !name.unicodeScalars.contains(where: { $0 == "+" || $0.properties.isWhitespace }) else {
        throw .invalidKeyName(name)
    }
}

private func isLowerHexDigit(_ c: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
}
