/// Why a key or signature operation failed. Messages never contain key material.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not a PEM private or public key this build can read.
    case malformedKey(String)
    /// The key is valid but of an algorithm (or curve) Yima does not sign with.
    case unsupportedKey(String)
    /// The private key is encrypted and no passphrase was given.
    case passphraseRequired
    /// The passphrase did not decrypt the private key.
    case wrongPassphrase
    /// A signature is not 64 bytes, or its r or s is out of range.
    case malformedSignature(String)
    /// OpenSSL reported a failure that is not the caller's fault.
    case openSSL(operation: String, reason: String)

    public var description: String {
        switch self {
        case .malformedKey(let why): "malformed key: \(why)"
        case .unsupportedKey(let what): "unsupported key: \(what) (Yima uses Ed25519, ECDSA P-256 and SM2)"
        case .passphraseRequired: "the private key is encrypted: a passphrase is required"
        case .wrongPassphrase: "wrong passphrase for the private key"
        case .malformedSignature(let why): "malformed signature: \(why)"
        case .openSSL(let operation, let reason): "OpenSSL \(operation) failed: \(reason)"
        }
    }
}
