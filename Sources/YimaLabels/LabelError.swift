import YimaText

/// Why a label cannot be made, in Chinese and English. Every case names what to fix:
/// the template and file, the box, the field, the line.
public struct LabelError: Error, Sendable, CustomStringConvertible {
    public let english: String
    public let chinese: String

    public init(_ english: String, zh chinese: String) {
        self.english = english
        self.chinese = chinese
    }

    /// An error whose text comes from the catalog.
    init(_ message: LabelsMessage, _ arguments: KeyValuePairs<String, Any> = [:]) {
        self.init { message.text(in: $0, arguments) }
    }

    /// An error whose text has arguments that depend on the language.
    init(_ text: (Language) -> String) {
        self.init(text(.english), zh: text(.chinese))
    }

    public var description: String { english }

    public func message(in language: Language) -> String {
        language == .chinese ? chinese : english
    }
}
