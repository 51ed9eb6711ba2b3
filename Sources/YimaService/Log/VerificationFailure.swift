import YimaCodes
import YimaText

/// Why an audit or a chain verification failed: the first check that did not
/// hold, named, in Chinese and English (docs/cli.md §Audit and online verification).
public struct VerificationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which check failed, e.g. `checkpoint-signature`, `consistency`, `entries`.
    public let check: String
    public let en: String
    public let zh: String

    public init(_ check: String, _ en: String, zh: String) {
        self.check = check
        self.en = en
        self.zh = zh
    }

    public var description: String { "[\(check)] \(en)" }

    public func message(in language: Language) -> String { "[\(check)] " + (language == .chinese ? zh : en) }
}
