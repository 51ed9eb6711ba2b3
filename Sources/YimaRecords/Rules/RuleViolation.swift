import YimaText

/// A broken domain rule: a stable rule id, the payload field(s) at fault, and the
/// user-facing explanation in Chinese (default) and English.
public struct RuleViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable identifiers: clients and tests match on these, never on the text.
    public enum Rule: String, Sendable, CaseIterable {
        case safetyInterval = "safety-interval"
        case bannedPesticide = "banned-pesticide"
        case timeOrder = "time-order"
        case futureTime = "future-time"
        case role
        case packedTwice = "packed-twice"
        case unitNotIssued = "unit-not-issued"
        case chainLink = "chain-link"
        /// The event names another batch than the context's.
        case batchMismatch = "batch-mismatch"
        /// The event's `actor` is not the party whose key signs it.
        case actorMismatch = "actor-mismatch"
        /// A certificate for a batch whose latest inspection failed.
        case failedInspection = "failed-inspection"
        /// A further certificate of a batch that does not name the certificate it splits.
        case certificateSplit = "certificate-split"
        /// A test-based certificate without an inspection of every active ingredient applied.
        case testCoverage = "test-coverage"
        /// A receipt of a certificate that is not one of the batch's.
        case certificateReceipt = "certificate-receipt"
        /// Certificates or issued units accounting for more than the harvest.
        case massBalance = "mass-balance"
    }

    public let rule: Rule
    /// Payload paths such as `data.date` or `data.units[3]`.
    public let fields: [String]
    let chinese: String
    let english: String

    public init(rule: Rule, fields: [String], chinese: String, english: String) {
        self.rule = rule
        self.fields = fields
        self.chinese = chinese
        self.english = english
    }

    /// A violation whose text comes from the catalog, in every language.
    init(rule: Rule, fields: [String], _ text: (Language) -> String) {
        self.init(rule: rule, fields: fields, chinese: text(.chinese), english: text(.english))
    }

    public func message(in language: Language = .chinese) -> String {
        language == .chinese ? chinese : english
    }

    public var description: String { "[\(rule.rawValue)] \(english)" }
}
