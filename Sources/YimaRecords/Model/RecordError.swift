import YimaText

/// Why a payload is not a valid record. `field` is a path into the payload such
/// as `data.items[1].pass`; `message(in:)` gives the user-facing text.
public struct RecordError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// The payload is not canonical JSON.
        case notCanonical(CanonicalJSONError)
        /// A required field is absent.
        case missing
        /// A field the record type does not define: signed content may not hide data.
        case unknown
        /// The field has another JSON type than the one expected.
        case wrongType(expected: String)
        /// The value breaks the field's rule; the reason in both languages.
        case invalid(zh: String, en: String)
    }

    public let field: String
    public let problem: Problem

    public init(field: String, problem: Problem) {
        self.field = field
        self.problem = problem
    }

    /// A field that breaks its rule, with the reason from the catalog.
    static func invalid(_ field: String, _ reason: RecordsMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> RecordError {
        invalid(field) { reason.text(in: $0, arguments) }
    }

    /// A field that breaks its rule, for a reason whose arguments depend on the language.
    static func invalid(_ field: String, _ reason: (Language) -> String) -> RecordError {
        RecordError(field: field, problem: .invalid(zh: reason(.chinese), en: reason(.english)))
    }

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        let name = field.isEmpty ? RecordsMessage.recordWhole.text(in: language) : field
        switch problem {
        case .notCanonical(let why):
            return RecordsMessage.recordNotCanonical.text(in: language, ["reason": why])
        case .missing:
            return RecordsMessage.recordMissingField.text(in: language, ["field": name])
        case .unknown:
            return RecordsMessage.recordUnknownField.text(in: language, ["field": name])
        case .wrongType(let expected):
            return RecordsMessage.recordWrongType.text(in: language, ["field": name, "expected": expected])
        case .invalid(let reasonZH, let reasonEN):
            // The reason arrives in both languages; the catalog adds the field around it.
            return RecordsMessage.recordInvalidField.text(in: language, ["field": name, "reason": language == .chinese ? reasonZH : reasonEN])
        }
    }
}
