import COpenSSL

/// A private signing key. Its bytes never leave this type except as PKCS#8 PEM
/// (RFC 5958), optionally passphrase-encrypted, and it never prints them.
public struct PrivateKey: Sendable, CustomStringConvertible {
    let key: EVPKey
    public let publicKey: PublicKey

    public var algorithm: SignatureAlgorithm { key.algorithm }
    public var id: KeyID { publicKey.id }

    private init(key: EVPKey) throws(CryptoError) {
        self.key = key
        publicKey = try PublicKey(key: key)
    }

    /// Generates a new key from OpenSSL's CSPRNG.
    public static func generate(_ algorithm: SignatureAlgorithm) throws(CryptoError) -> PrivateKey {
        let (typeName, group): (String, String?) = switch algorithm {
        case .ed25519: ("ED25519", nil)
        case .p256: ("EC", "P-256")
        case .sm2: ("SM2", nil)
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSL.failure("EVP_PKEY_CTX_new_from_name(\(typeName))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSL.failure("EVP_PKEY_keygen_init") }
        if let group, EVP_PKEY_CTX_set_group_name(context, group) != 1 {
            throw OpenSSL.failure("EVP_PKEY_CTX_set_group_name")
        }
        var pointer: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &pointer) == 1, let pointer else {
            throw OpenSSL.failure("EVP_PKEY_generate")
        }
        return try PrivateKey(key: EVPKey(taking: pointer))
    }

    /// Reads a PEM private key: PKCS#8 `PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`
    /// (RFC 7468 §10–11), or the traditional `EC PRIVATE KEY` that `openssl ecparam`
    /// writes.
    public init(pem: String, passphrase: String? = nil) throws(CryptoError) {
        let label = PEM.label(of: pem) ?? ""
        let encrypted = label == "ENCRYPTED PRIVATE KEY"
        guard label.hasSuffix("PRIVATE KEY") else {
            throw .malformedKey("expected a PEM \"PRIVATE KEY\" block")
        }
        if encrypted && passphrase == nil { throw .passphraseRequired }
        let pointer: OpaquePointer?
        do {
            pointer = try OpenSSL.withReadBIO(Array(pem.utf8)) { bio in
                if let passphrase {
                    return passphrase.withCString { yima_read_private_key(bio, $0) }
                }
                return yima_read_private_key(bio, nil)
            }
        } catch { throw .malformedKey("\(error)") }
        guard let pointer else {
            let reason = OpenSSL.drainErrors()
            throw encrypted ? .wrongPassphrase : .malformedKey(reason)
        }
        try self.init(key: EVPKey(taking: pointer))
    }

    /// The key as PKCS#8 PEM; with a passphrase, encrypted as PKCS#5 v2.0 PBES2
    /// (PBKDF2-HMAC-SHA256, AES-256-CBC), readable by `openssl pkey -passin`.
    public func pem(passphrase: String? = nil) throws(CryptoError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try OpenSSL.collectingBIO { bio throws(CryptoError) in
                let ok: Int32
                if let passphrase {
                    guard !passphrase.isEmpty else { throw .malformedKey("the passphrase is empty") }
                    ok = passphrase.withCString { pass in
                        PEM_write_bio_PKCS8PrivateKey(bio, key.pointer, EVP_aes_256_cbc(),
                                                      pass, Int32(strlen(pass)), nil, nil)
                    }
                } else {
                    ok = PEM_write_bio_PKCS8PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil)
                }
                guard ok == 1 else { throw OpenSSL.failure("PEM_write_bio_PKCS8PrivateKey") }
            }
        } catch let error as CryptoError { throw error } catch { throw .malformedKey("\(error)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Signs `message`, returning the 64-byte wire form (see `SignatureAlgorithm`).
    public func sign(_ message: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        let messageBytes = Array(message)
        // Ed25519 writes 64 bytes; a DER ECDSA/SM2 signature is at most 72.
        var signature = [UInt8](repeating: 0, count: 80)
        var length = signature.count
        try key.withDigestContext(signing: true) { context throws(CryptoError) in
            let ok = signature.withUnsafeMutableBufferPointer { sig in
                messageBytes.withUnsafeBufferPointer { msg in
                    EVP_DigestSign(context, sig.baseAddress, &length, msg.baseAddress, msg.count)
                }
            }
            guard ok == 1 else { throw OpenSSL.failure("EVP_DigestSign") }
        }
        let written = Array(signature.prefix(length))
        return algorithm == .ed25519 ? written : try ECDSASignature.raw(fromDER: written)
    }

    /// Never the key material.
    public var description: String { "\(algorithm.rawValue) private key \(id.hex)" }
}
