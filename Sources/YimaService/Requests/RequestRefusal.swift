import YimaText

/// Why a workbench request was refused (docs/api.md §Producer workbench): one case
/// per check, so the server maps each to its status and error id, and the text in
/// both languages.
public struct RequestRefusal: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The payload or body is not as specified; `field` names the member.
        case malformed(field: String)
        /// A unit code that does not parse (docs/code-format.md); `reason` is the parser's.
        case malformedCode(field: String, reason: String)
        /// The signature does not verify with the key it must be made with.
        case badSignature
        /// `time` is outside the freshness window; `serverTime` is the server's clock.
        case stale(serverTime: String)
        /// This key sent this nonce before.
        case replayed
        /// No registered party holds the signing key.
        case unknownKey
        /// The key is revoked, rotated out or outside its party's registration.
        case keyNotValid
        /// The signer's party does not own the batch.
        case notBatchOwner
        case unknownBatch
        /// The batch has no issued codes to print.
        case noCodes
        case unknownTemplate
        /// More labels than one request may print.
        case tooManyLabels(limit: Int)
        /// A registered party has this credit code, party id or key (`field`).
        case alreadyRegistered(field: String)
        /// A pending request `id` has this credit code, party id or key (`field`).
        case alreadyPending(field: String, id: String)
        /// Too many registration requests are pending.
        case queueFull(limit: Int)
        /// No registration request with this id (or prefix), or several.
        case unknownRegistration
        /// The registration request was already approved or rejected.
        case notPending
        /// The issuance event is stored with other codes, or a code is already issued (`field`).
        case issuanceConflict(field: String?)
        /// A code's signature does not verify with the event's key.
        case forgedCode(field: String)
    }

    public let reason: Reason
    let chinese: String
    let english: String

    init(_ reason: Reason, _ key: ServiceMessage, _ parameters: KeyValuePairs<String, Any> = [:]) {
        self.reason = reason
        (chinese, english) = key.texts(parameters)
    }

    init(_ reason: Reason, zh: String, en: String) {
        self.reason = reason
        chinese = zh
        english = en
    }

    public func message(in language: Language) -> String { language == .chinese ? chinese : english }
    public var description: String { english }
}
