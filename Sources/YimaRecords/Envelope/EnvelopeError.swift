import YimaCrypto
import YimaText

/// Why an envelope is unreadable, or does not verify. Each case is one precise
/// reason; `message(in:)` gives the user-facing text (Chinese by default).
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The envelope text is not canonical JSON (or not JSON at all).
    case malformedEnvelope(CanonicalJSONError)
    /// A member other than alg, kid, payload, sig and v.
    case unknownField(String)
    /// A required member is absent or of the wrong JSON type.
    case missingField(String)
    /// `v` is not a version this build reads.
    case unsupportedVersion(Int64)
    /// `alg` is not ed25519, p256 or sm2.
    case unknownAlgorithm(String)
    /// `kid` is not 16 lowercase hex digits.
    case malformedKeyID(String)
    /// `payload` or `sig` is not unpadded base64url in its one canonical spelling.
    case malformedBase64(field: String)
    /// `sig` does not decode to 64 bytes.
    case malformedSignature(byteCount: Int)
    /// The payload bytes are not canonical JSON.
    case nonCanonicalPayload(CanonicalJSONError)
    /// The verifying key's id is not the envelope's `kid`.
    case wrongKey(expected: KeyID, got: KeyID)
    /// The verifying key's algorithm is not the envelope's `alg`.
    case algorithmMismatch(envelope: SignatureAlgorithm, key: SignatureAlgorithm)
    /// The signature does not verify over "yima-record/1\n" || payload.
    case badSignature
    /// Signing failed in the crypto layer.
    case signingFailed(CryptoError)
    /// The signature verifies but the payload is not a valid record.
    case invalidRecord(RecordError)

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        switch self {
        case .malformedEnvelope(let why):
            RecordsMessage.envelopeMalformed.text(in: language, ["reason": why])
        case .unknownField(let name):
            RecordsMessage.envelopeUnknownField.text(in: language, ["name": name])
        case .missingField(let name):
            RecordsMessage.envelopeMissingField.text(in: language, ["name": name])
        case .unsupportedVersion(let version):
            RecordsMessage.envelopeUnsupportedVersion.text(in: language, ["version": version])
        case .unknownAlgorithm(let name):
            RecordsMessage.envelopeUnknownAlgorithm.text(in: language, ["name": name])
        case .malformedKeyID(let text):
            RecordsMessage.envelopeMalformedKeyID.text(in: language, ["kid": text])
        case .malformedBase64(let field):
            RecordsMessage.envelopeMalformedBase64.text(in: language, ["field": field])
        case .malformedSignature(let count):
            RecordsMessage.envelopeMalformedSignature.text(in: language, ["count": count])
        case .nonCanonicalPayload(let why):
            RecordsMessage.envelopeNonCanonicalPayload.text(in: language, ["reason": why])
        case .wrongKey(let expected, let got):
            RecordsMessage.envelopeWrongKey.text(in: language, ["expected": expected.hex, "got": got.hex])
        case .algorithmMismatch(let envelope, let key):
            RecordsMessage.envelopeAlgorithmMismatch.text(in: language, ["envelope": envelope.rawValue, "key": key.rawValue])
        case .badSignature:
            RecordsMessage.envelopeBadSignature.text(in: language)
        case .signingFailed(let why):
            RecordsMessage.envelopeSigningFailed.text(in: language, ["reason": why])
        case .invalidRecord(let why):
            why.message(in: language)
        }
    }
}
