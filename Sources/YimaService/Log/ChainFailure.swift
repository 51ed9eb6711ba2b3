import YimaRecords
import YimaText

/// One check of a unit's chain, in the order `ChainVerification` runs them
/// (docs/bundle.md §Verification).
public enum ChainCheck: String, Sendable, CaseIterable {
    case record
    case partySignature = "party-signature"
    case signature
    case keyStatus = "key-status"
    case chain
    case inclusion
    case codeSignature = "code-signature"
    case rules

    var order: Int { Self.allCases.firstIndex(of: self)! }
}

/// A check that did not hold: which, on which record, and why in Chinese and English.
public struct ChainFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let check: ChainCheck
    /// The record at fault (its log position and id); nil for a failure of the whole chain.
    public let logIndex: Int64?
    public let recordID: RecordID?
    public let en: String
    public let zh: String

    init(_ check: ChainCheck, _ entry: ChainVerification.Entry?, _ en: String, zh: String) {
        self.check = check
        logIndex = entry?.logIndex
        recordID = entry?.envelope.recordID
        self.en = en
        self.zh = zh
    }

    public var description: String { "[\(check.rawValue)] \(en)" }

    public func message(in language: Language) -> String { "[\(check.rawValue)] " + (language == .chinese ? zh : en) }

    /// As the verifiers that stop at the first failure report it (exit 20, docs/cli.md).
    var verificationFailure: VerificationFailure { VerificationFailure(check.rawValue, en, zh: zh) }
}
