import COpenSSL

/// A signing context for bulk work on one thread: it keeps OpenSSL's digest
/// context initialised between signatures where the algorithm allows (Ed25519, as
/// `openssl speed` does), saving a provider fetch per signature. Not thread-safe:
/// make one per worker.
public final class Signer {
    public let key: PrivateKey
    private var reusable: OpaquePointer?

    public init(_ key: PrivateKey) throws(CryptoError) {
        self.key = key
        guard key.algorithm == .ed25519 else { return }
        guard let context = EVP_MD_CTX_new() else { throw OpenSSL.failure("EVP_MD_CTX_new") }
        guard EVP_DigestSignInit(context, nil, nil, nil, key.key.pointer) == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSL.failure("EVP_DigestSignInit")
        }
        reusable = context
    }

    deinit { if let reusable { EVP_MD_CTX_free(reusable) } }

    /// The same bytes `PrivateKey.sign` gives.
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let reusable else { return try key.sign(message) }
        var signature = [UInt8](repeating: 0, count: SignatureAlgorithm.signatureLength)
        var length = signature.count
        let ok = signature.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(reusable, sig.baseAddress, &length, msg.baseAddress, msg.count)
            }
        }
        guard ok == 1, length == SignatureAlgorithm.signatureLength else { throw OpenSSL.failure("EVP_DigestSign") }
        return signature
    }
}

@available(*, unavailable)
extension Signer: Sendable {}

/// A verification context for bulk work on one thread: keeps an initialised
/// Ed25519 digest context per key, as `Signer` does for signing. Not thread-safe.
public final class Verifier {
    private var contexts: [KeyID: OpaquePointer] = [:]

    public init() {}

    deinit { for context in contexts.values { EVP_MD_CTX_free(context) } }

    /// The same answer `PublicKey.isValidSignature` gives.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], by key: PublicKey) -> Bool {
        guard key.algorithm == .ed25519, signature.count == SignatureAlgorithm.signatureLength,
              let context = context(for: key) else {
            return key.isValidSignature(signature, for: message)
        }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        if result != 1 { _ = OpenSSL.drainErrors() }
        return result == 1
    }

    private func context(for key: PublicKey) -> OpaquePointer? {
        if let context = contexts[key.id] { return context }
        guard let context = EVP_MD_CTX_new() else { return nil }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key.key.pointer) == 1 else {
            EVP_MD_CTX_free(context)
            _ = OpenSSL.drainErrors()
            return nil
        }
        contexts[key.id] = context
        return context
    }
}

@available(*, unavailable)
extension Verifier: Sendable {}
