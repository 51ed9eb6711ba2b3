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
    /// A workbench request refused (docs/api.md §Producer workbench).
    case request(RequestRefusal)

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        let zh = language == .chinese
        switch self {
        case .invalidArgument(let en, let chinese), .output(let en, let chinese), .input(let en, let chinese):
            return zh ? chinese : en
        case .code(let error):
            return error.message(in: language)
        case .crypto(let error):
            return ServiceMessage.cryptoError.text(in: language, ["reason": Self.crypto(error, in: language)])
        case .keyFile(let failure):
            return ServiceMessage.keyFileError.text(in: language, ["reason": failure])
        case .store(let error):
            return ServiceMessage.storeError.text(in: language, ["reason": error])
        case .record(let error):
            return error.message(in: language)
        case .envelope(let error):
            return error.message(in: language)
        case .rule(let violation):
            // The stable rule id leads, so scripts and people can tell rules apart.
            return "[\(violation.rule.rawValue)] \(violation.message(in: language))"
        case .rejected(_, let en, let chinese), .notFound(let en, let chinese):
            return zh ? chinese : en
        case .request(let refusal):
            return refusal.message(in: language)
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
        case let error as RequestRefusal: .request(error)
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

    private static func crypto(_ error: CryptoError, in language: Language) -> String {
        switch error {
        case .malformedKey(let why): ServiceMessage.cryptoMalformedKey.text(in: language, ["reason": why])
        case .unsupportedKey(let what): ServiceMessage.cryptoUnsupportedKey.text(in: language, ["key": what])
        case .passphraseRequired: ServiceMessage.cryptoPassphraseRequired.text(in: language)
        case .wrongPassphrase: ServiceMessage.cryptoWrongPassphrase.text(in: language)
        case .malformedSignature(let why): ServiceMessage.cryptoMalformedSignature.text(in: language, ["reason": why])
        case .openSSL(let operation, let reason): ServiceMessage.cryptoOpenSSL.text(in: language, ["operation": operation, "reason": reason])
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
    /// A trust list's `issued` time is further ahead of the verifier's clock than
    /// `VerifiedTrustList.clockSkew` allows.
    case issuedInFuture
    /// A trust list older than one this verifier has already accepted from the same
    /// authority key (`TrustState`): it could hide a later revocation or recall.
    case rolledBack
}
