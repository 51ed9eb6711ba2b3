/// A JSON value restricted to what Yima payloads carry (docs/envelope.md
/// §Canonical JSON): objects, arrays, strings, integers within ±(2^53−1), and
/// booleans. There is no `null` (an absent field is omitted) and no fractional
/// number (decimals such as doses and coordinates travel as decimal strings), so
/// every value has exactly one RFC 8785 serialisation.
public enum JSONValue: Sendable, Hashable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    case bool(Bool)

    /// The largest magnitude an integer may have: 2^53 − 1, the largest integer an
    /// IEEE 754 double (and so every JCS implementation, RFC 8785 §3.2.2.3) holds exactly.
    public static let maximumIntegerMagnitude: Int64 = (1 << 53) - 1

    /// The canonical bytes of this value (RFC 8785).
    public var canonicalBytes: [UInt8] { CanonicalJSON.encode(self) }

    /// A short name of the value's type for error messages.
    public var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .bool: "boolean"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
