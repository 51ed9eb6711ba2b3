/// A string value with a documented shape (a GTIN, a lot, a decimal...), valid by
/// construction: `init(_:)` checks it, so a record holding one needs no further check.
public protocol ValidatedString: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value exactly as it appears in the payload.
    var rawValue: String { get }
    /// Why `candidate` is not a valid value (Chinese, English), or nil if it is.
    static func problem(with candidate: String) -> (zh: String, en: String)?
    init(uncheckedRawValue: String)
}

extension ValidatedString {
    /// Checks and wraps `rawValue`; the error's field is `field`.
    public init(_ rawValue: String, field: String = "") throws(RecordError) {
        if let problem = Self.problem(with: rawValue) {
            throw RecordError(field: field, problem: .invalid(zh: problem.zh, en: problem.en))
        }
        self.init(uncheckedRawValue: rawValue)
    }

    /// nil if `rawValue` is not valid.
    public init?(validating rawValue: String) {
        guard Self.problem(with: rawValue) == nil else { return nil }
        self.init(uncheckedRawValue: rawValue)
    }

    public var description: String { rawValue }
    public var json: JSONValue { .string(rawValue) }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Self {
        try Self(ObjectReader.string(value, at: path), field: path)
    }
}

extension String {
    var isASCIIDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
}
