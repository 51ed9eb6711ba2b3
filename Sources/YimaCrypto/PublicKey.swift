import COpenSSL

/// A public key that verifies Yima signatures.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    let key: EVPKey
    public let id: KeyID
    /// The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) the id is computed from.
    public let subjectPublicKeyInfo: [UInt8]

    public var algorithm: SignatureAlgorithm { key.algorithm }

    init(key: EVPKey) throws(CryptoError) {
        self.key = key
        subjectPublicKeyInfo = try key.subjectPublicKeyInfo()
        id = KeyID(subjectPublicKeyInfo: subjectPublicKeyInfo)
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 7468 §13).
    public init(pem: String) throws(CryptoError) {
        guard PEM.label(of: pem) == "PUBLIC KEY" else {
            throw .malformedKey("expected a PEM \"PUBLIC KEY\" block")
        }
        let pointer: OpaquePointer?
        do {
            pointer = try OpenSSL.withReadBIO(Array(pem.utf8)) { yima_read_public_key($0) }
        } catch { throw .malformedKey("\(error)") }
        guard let pointer else { throw .malformedKey(OpenSSL.drainErrors()) }
        try self.init(key: EVPKey(taking: pointer))
    }

    /// Reads a DER SubjectPublicKeyInfo.
    public init(subjectPublicKeyInfo der: [UInt8]) throws(CryptoError) {
        let pointer: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let pointer else { throw .malformedKey(OpenSSL.drainErrors()) }
        try self.init(key: EVPKey(taking: pointer))
    }

    /// The key as a PEM `PUBLIC KEY` block.
    public var pem: String {
        PEM.encode(label: "PUBLIC KEY", der: subjectPublicKeyInfo)
    }

    /// Checks a 64-byte signature (see `SignatureAlgorithm`) over `message`.
    /// A signature of the wrong length is simply not valid.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        guard signature.count == SignatureAlgorithm.signatureLength else { return false }
        let wire: [UInt8]
        if algorithm == .ed25519 {
            wire = Array(signature)
        } else {
            guard let der = try? ECDSASignature.der(fromRaw: signature) else { return false }
            wire = der
        }
        let messageBytes = Array(message)
        let result = try? key.withDigestContext(signing: false) { context in
            wire.withUnsafeBufferPointer { sig in
                messageBytes.withUnsafeBufferPointer { msg in
                    EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
                }
            }
        }
        // A failed verify leaves reasons on the thread's error queue; clear them so
        // they are not blamed on a later, unrelated operation.
        if result != 1 { _ = OpenSSL.drainErrors() }
        return result == 1
    }

    public var description: String { "\(algorithm.rawValue) key \(id.hex)" }

    public static func == (a: PublicKey, b: PublicKey) -> Bool { a.subjectPublicKeyInfo == b.subjectPublicKeyInfo }
    public func hash(into hasher: inout Hasher) { hasher.combine(subjectPublicKeyInfo) }
}
