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

    static func invalid(_ field: String, zh: String, en: String) -> RecordError {
        RecordError(field: field, problem: .invalid(zh: zh, en: en))
    }

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        let zh = language == .chinese
        let name = field.isEmpty ? (zh ? "记录" : "record") : field
        switch problem {
        case .notCanonical(let why):
            return zh ? "记录内容不是规范 JSON：\(why)" : "the payload is not canonical JSON: \(why)"
        case .missing:
            return zh ? "缺少字段 \(name)" : "missing field \(name)"
        case .unknown:
            return zh ? "未知字段 \(name)：签名内容不得夹带未定义的数据" : "unknown field \(name): signed content may not carry undefined data"
        case .wrongType(let expected):
            return zh ? "字段 \(name) 类型错误，应为 \(expected)" : "field \(name) should be a JSON \(expected)"
        case .invalid(let reasonZH, let reasonEN):
            return zh ? "字段 \(name) 无效：\(reasonZH)" : "invalid \(name): \(reasonEN)"
        }
    }
}
