import YimaCrypto

/// A signed record, version 1 (docs/envelope.md):
///
///     {"alg":"ed25519","kid":"<16 hex>","payload":"<base64url>","sig":"<base64url>","v":1}
///
/// written as canonical JSON (RFC 8785). `payload` is the unpadded base64url
/// (RFC 4648 §5) of the record's canonical JSON bytes; `sig` is the 64-byte
/// signature (see `SignatureAlgorithm`) over `signedMessage`:
/// the ASCII bytes `yima-record/1\n` followed by the payload bytes. The prefix keeps
/// a record signature from ever being valid as a unit-code signature (whose
/// messages begin `yima-code/1\n`) and vice versa.
public struct Envelope: Sendable, Hashable {
    /// The envelope version this build writes and reads.
    public static let version: Int64 = 1
    /// The domain-separation prefix of every signed message.
    public static let signedMessagePrefix: [UInt8] = Array("yima-record/1\n".utf8)

    public let algorithm: SignatureAlgorithm
    public let keyID: KeyID
    /// The canonical JSON payload bytes.
    public let payload: [UInt8]
    /// The 64-byte signature.
    public let signature: [UInt8]

    /// Assembles an envelope from parts without checking anything; `verify` checks.
    public init(algorithm: SignatureAlgorithm, keyID: KeyID, payload: [UInt8], signature: [UInt8]) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.payload = payload
        self.signature = signature
    }

    /// The record id: SHA-256 of the payload bytes.
    public var recordID: RecordID { RecordID(payload: payload) }

    /// The bytes the signature covers.
    public var signedMessage: [UInt8] { Self.signedMessage(payload: payload) }

    public static func signedMessage(payload: some Collection<UInt8>) -> [UInt8] {
        var message = signedMessagePrefix
        message += payload
        return message
    }

    /// Signs canonical payload bytes. Non-canonical bytes are refused, so nothing
    /// is ever signed that a verifier would reject.
    public static func sign(payload: [UInt8], with key: PrivateKey) throws(EnvelopeError) -> Envelope {
        do { _ = try CanonicalJSON.decode(payload) } catch { throw .nonCanonicalPayload(error) }
        let signature: [UInt8]
        do { signature = try key.sign(signedMessage(payload: payload)) } catch { throw .signingFailed(error) }
        return Envelope(algorithm: key.algorithm, keyID: key.id, payload: payload, signature: signature)
    }

    /// Signs a record's canonical payload.
    public static func sign(_ record: Record, with key: PrivateKey) throws(EnvelopeError) -> Envelope {
        try sign(payload: record.payload, with: key)
    }

    // MARK: Verification

    /// Checks, in order: the key is the one `kid` names, its algorithm is `alg`,
    /// the payload is canonical JSON, and the signature verifies.
    public func verify(with key: PublicKey) -> EnvelopeVerification {
        do {
            try requireValid(with: key)
            return .valid(recordID)
        } catch {
            return .invalid(error)
        }
    }

    /// `verify`, throwing the precise reason instead.
    public func requireValid(with key: PublicKey) throws(EnvelopeError) {
        guard key.id == keyID else { throw .wrongKey(expected: keyID, got: key.id) }
        guard key.algorithm == algorithm else { throw .algorithmMismatch(envelope: algorithm, key: key.algorithm) }
        guard signature.count == SignatureAlgorithm.signatureLength else {
            throw .malformedSignature(byteCount: signature.count)
        }
        do { _ = try CanonicalJSON.decode(payload) } catch { throw .nonCanonicalPayload(error) }
        guard key.isValidSignature(signature, for: signedMessage) else { throw .badSignature }
    }

    /// Verifies and decodes the payload into a `Record`.
    public func verifiedRecord(with key: PublicKey) throws(EnvelopeError) -> Record {
        try requireValid(with: key)
        do { return try Record(payload: payload) } catch { throw .invalidRecord(error) }
    }

    // MARK: Wire form

    /// The envelope as a JSON value.
    public var json: JSONValue {
        .object([
            "alg": .string(algorithm.rawValue),
            "kid": .string(keyID.hex),
            "payload": .string(Base64.urlEncode(payload)),
            "sig": .string(Base64.urlEncode(signature)),
            "v": .integer(Self.version),
        ])
    }

    /// The envelope's canonical JSON bytes.
    public var encoded: [UInt8] { CanonicalJSON.encode(json) }

    /// The envelope's canonical JSON text.
    public var text: String { String(decoding: encoded, as: UTF8.self) }

    /// Reads an envelope from its canonical JSON bytes. Structure is checked
    /// (members, version, algorithm, key id, base64url, signature length), not the
    /// signature: call `verify`.
    public init(encoded bytes: some Collection<UInt8>) throws(EnvelopeError) {
        let value: JSONValue
        do { value = try CanonicalJSON.decode(bytes) } catch { throw .malformedEnvelope(error) }
        guard case .object(let members) = value else {
            throw .malformedEnvelope(.syntax(offset: 0, reason: "an envelope is a JSON object"))
        }
        for name in members.keys where !["alg", "kid", "payload", "sig", "v"].contains(name) {
            throw .unknownField(name)
        }
        guard case .integer(let version)? = members["v"] else { throw .missingField("v") }
        guard version == Self.version else { throw .unsupportedVersion(version) }
        guard case .string(let alg)? = members["alg"] else { throw .missingField("alg") }
        guard let algorithm = SignatureAlgorithm(rawValue: alg) else { throw .unknownAlgorithm(alg) }
        guard case .string(let kid)? = members["kid"] else { throw .missingField("kid") }
        guard kid == kid.lowercased(), let keyID = KeyID(hex: kid) else { throw .malformedKeyID(kid) }
        guard case .string(let payloadText)? = members["payload"] else { throw .missingField("payload") }
        guard case .string(let sigText)? = members["sig"] else { throw .missingField("sig") }
        let payload = try Self.decodeBase64URL(payloadText, field: "payload")
        let signature = try Self.decodeBase64URL(sigText, field: "sig")
        guard signature.count == SignatureAlgorithm.signatureLength else {
            throw .malformedSignature(byteCount: signature.count)
        }
        self.init(algorithm: algorithm, keyID: keyID, payload: payload, signature: signature)
    }

    /// Reads an envelope from its JSON text.
    public init(text: String) throws(EnvelopeError) {
        try self.init(encoded: Array(text.utf8))
    }

    /// Base64url without padding, in its one spelling: re-encoding must give the
    /// same text (no '=', no '+' or '/', no stray bits).
    private static func decodeBase64URL(_ text: String, field: String) throws(EnvelopeError) -> [UInt8] {
        guard let bytes = Base64.urlDecode(text) else {
            throw .malformedBase64(field: field)
        }
        return bytes
    }
}

/// The outcome of `Envelope.verify(with:)`.
public enum EnvelopeVerification: Sendable, Equatable {
    /// The signature verifies; carries the record id.
    case valid(RecordID)
    /// It does not, for this reason.
    case invalid(EnvelopeError)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }
}
