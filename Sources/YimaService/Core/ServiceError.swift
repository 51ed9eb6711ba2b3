import YimaCodes
import YimaCrypto
import YimaLabels
import YimaRecords
import YimaText

/// A failure of a use case, with user-facing text in Chinese and English.
public enum ServiceError: Error, CustomStringConvertible {
    case invalidArgument(String, zh: String)
    case output(String, zh: String)
    case input(String, zh: String)
    case code(UnitCodeError)
    case crypto(CryptoError)
    case keyFile(KeyFile.Failure)
    case store(StoreError)
    case record(RecordError)
    case envelope(EnvelopeError)
    case rule(RuleViolation)
    /// A record is well formed and signed, but not acceptable here: why, in words
    /// and as a `Rejection` a caller (the write API) can act on.
    case rejected(Rejection, String, zh: String)
    /// What was asked for is not in this store.
    case notFound(String, zh: String)

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        let zh = language == .chinese
        switch self {
        case .invalidArgument(let en, let chinese), .output(let en, let chinese), .input(let en, let chinese):
            return zh ? chinese : en
        case .code(let error):
            return error.message(in: language)
        case .crypto(let error):
            return zh ? "密钥错误：\(Self.chinese(error))" : error.description
        case .keyFile(let failure):
            return zh ? "密钥文件错误：\(failure)" : failure.description
        case .store(let error):
            return zh ? "数据库错误：\(error)" : error.description
        case .record(let error):
            return error.message(in: language)
        case .envelope(let error):
            return error.message(in: language)
        case .rule(let violation):
            // The stable rule id leads, so scripts and people can tell rules apart.
            return "[\(violation.rule.rawValue)] \(violation.message(in: language))"
        case .rejected(_, let en, let chinese), .notFound(let en, let chinese):
            return zh ? chinese : en
        }
    }

    /// Runs a read (of the store, a file) and wraps what it throws.
    static func reading<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        do { return try body() } catch { throw wrap(error) }
    }

    /// Wraps any error a use case meets into a `ServiceError`.
    public static func wrap(_ error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError: error
        case let error as UnitCodeError: .code(error)
        case let error as CryptoError: .crypto(error)
        case let error as KeyFile.Failure: .keyFile(error)
        case let error as StoreError: .store(error)
        case let error as RecordError: .record(error)
        case let error as EnvelopeError: .envelope(error)
        case let error as RuleViolation: .rule(error)
        case let error as LabelError: .label(error)
        default: .input("\(error)", zh: "\(error)")
        }
    }

    private static func chinese(_ error: CryptoError) -> String {
        switch error {
        case .malformedKey(let why): "密钥格式错误（\(why)）"
        case .unsupportedKey(let what): "不支持的密钥类型 \(what)（一码支持 Ed25519、ECDSA P-256 和 SM2）"
        case .passphraseRequired: "私钥已加密，需要口令（--passphrase-file）"
        case .wrongPassphrase: "私钥口令错误"
        case .malformedSignature(let why): "签名格式错误（\(why)）"
        case .openSSL(let operation, let reason): "OpenSSL \(operation) 失败：\(reason)"
        }
    }
}

/// Why a signed record was refused, for callers that map refusals to statuses.
public enum Rejection: Sendable, Equatable {
    /// A record or document only an authority signs (a party or key record,
    /// `Record.isSignedByAuthority`; a trust list) signed by another key.
    case notAuthority
    /// A record signed by a key no registered party holds: the write path's first check.
    case signerNotRegistered
    /// The signing key belongs to no registered party.
    case unknownKey
    /// The signer lacks the role, or acts for another party.
    case notAuthorised
    /// The record refers to a product or batch that does not exist.
    case unknownReference
    /// What the record creates exists already.
    case duplicate
    /// The signing key is revoked, rotated out, or outside its party's registration
    /// window (docs/trust-list.md §Key status).
    case keyNotValid
    /// A signed document (a trust list) is past its expiry.
    case expired
}
