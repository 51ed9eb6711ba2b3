import YimaText
import YimaCrypto

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
        let zh = language == .chinese
        switch self {
        case .malformedEnvelope(let why):
            return zh ? "签名信封格式错误：\(why)" : "malformed envelope: \(why)"
        case .unknownField(let name):
            return zh ? "签名信封含未知字段 “\(name)”" : "unknown envelope field \"\(name)\""
        case .missingField(let name):
            return zh ? "签名信封缺少字段 “\(name)” 或类型错误" : "envelope field \"\(name)\" is missing or of the wrong type"
        case .unsupportedVersion(let version):
            return zh ? "不支持的信封版本 \(version)，请升级软件" : "unsupported envelope version \(version); upgrade the software"
        case .unknownAlgorithm(let name):
            return zh ? "未知签名算法 “\(name)”" : "unknown signature algorithm \"\(name)\""
        case .malformedKeyID(let text):
            return zh ? "密钥标识 “\(text)” 应为 16 位小写十六进制" : "key id \"\(text)\" is not 16 lowercase hex digits"
        case .malformedBase64(let field):
            return zh ? "字段 “\(field)” 不是无填充的 base64url" : "field \"\(field)\" is not unpadded base64url"
        case .malformedSignature(let count):
            return zh ? "签名应为 64 字节，实际 \(count) 字节" : "the signature should be 64 bytes, got \(count)"
        case .nonCanonicalPayload(let why):
            return zh ? "记录内容不是规范 JSON（RFC 8785）：\(why)" : "the payload is not canonical JSON (RFC 8785): \(why)"
        case .wrongKey(let expected, let got):
            return zh ? "密钥不符：信封要求 \(expected.hex)，提供的是 \(got.hex)"
                      : "wrong key: the envelope names \(expected.hex), the key given is \(got.hex)"
        case .algorithmMismatch(let envelope, let key):
            return zh ? "算法不符：信封为 \(envelope.rawValue)，密钥为 \(key.rawValue)"
                      : "algorithm mismatch: the envelope says \(envelope.rawValue), the key is \(key.rawValue)"
        case .badSignature:
            return zh ? "签名无效：记录可能被篡改" : "bad signature: the record may have been altered"
        case .signingFailed(let why):
            return zh ? "签名失败：\(why)" : "signing failed: \(why)"
        case .invalidRecord(let why):
            return why.message(in: language)
        }
    }
}
