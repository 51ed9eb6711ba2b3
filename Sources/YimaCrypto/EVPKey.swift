import COpenSSL

/// Owns one OpenSSL `EVP_PKEY`. OpenSSL 3 keys are immutable once made and safe to
/// share between threads, each operation using its own context.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let algorithm: SignatureAlgorithm

    /// Takes ownership of `pointer`; frees it if the algorithm is not one of ours.
    init(taking pointer: OpaquePointer) throws(CryptoError) {
        guard let algorithm = EVPKey.algorithm(of: pointer) else {
            let name = EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
            EVP_PKEY_free(pointer)
            throw .unsupportedKey(name)
        }
        self.pointer = pointer
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(pointer) }

    private static func algorithm(of key: OpaquePointer) -> SignatureAlgorithm? {
        if EVP_PKEY_is_a(key, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(key, "SM2") == 1 { return .sm2 }
        if EVP_PKEY_is_a(key, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else { return nil }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch group {
            case "prime256v1", "P-256": return .p256
            case "SM2": return .sm2
            default: return nil
            }
        }
        return nil
    }

    /// The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_PUBKEY(pointer, &out)
        guard length > 0, let out else { throw OpenSSL.failure("i2d_PUBKEY") }
        defer { yima_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    /// Makes a message-digest context ready to sign or verify, honouring each
    /// algorithm's rules: Ed25519 hashes internally (no digest), ECDSA uses SHA-256,
    /// SM2 uses SM3 with the standard distinguishing ID.
    ///
    /// The returned `EVP_PKEY_CTX` (SM2 only) is not owned by the digest context
    /// (`EVP_MD_CTX_set_pkey_ctx`), so the caller frees it after the operation.
    func withDigestContext<T>(signing: Bool, _ body: (OpaquePointer) throws(CryptoError) -> T) throws(CryptoError) -> T {
        guard let md = EVP_MD_CTX_new() else { throw OpenSSL.failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(md) }
        var keyContext: OpaquePointer? = nil
        defer { if let keyContext { EVP_PKEY_CTX_free(keyContext) } }

        let digest: OpaquePointer?
        switch algorithm {
        case .ed25519:
            digest = nil
        case .p256:
            digest = EVP_sha256()
        case .sm2:
            digest = EVP_sm3()
            guard let context = EVP_PKEY_CTX_new(pointer, nil) else { throw OpenSSL.failure("EVP_PKEY_CTX_new") }
            keyContext = context
            let id = SignatureAlgorithm.sm2DistinguishingID
            guard EVP_PKEY_CTX_set1_id(context, id, Int32(id.count)) == 1 else {
                throw OpenSSL.failure("EVP_PKEY_CTX_set1_id")
            }
            EVP_MD_CTX_set_pkey_ctx(md, context)
        }
        let ok = signing
            ? EVP_DigestSignInit(md, nil, digest, nil, pointer)
            : EVP_DigestVerifyInit(md, nil, digest, nil, pointer)
        guard ok == 1 else { throw OpenSSL.failure(signing ? "EVP_DigestSignInit" : "EVP_DigestVerifyInit") }
        return try body(md)
    }
}
