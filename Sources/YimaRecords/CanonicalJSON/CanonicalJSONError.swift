/// Why bytes are not a canonical Yima JSON text. `offset` is the byte offset at
/// which the problem was found.
public enum CanonicalJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not JSON at all (RFC 8259 grammar), e.g. a missing quote or comma.
    case syntax(offset: Int, reason: String)
    /// `null` is not used: absent fields are omitted.
    case nullNotAllowed(offset: Int)
    /// A fraction or exponent: decimals are carried as strings.
    case notAnInteger(offset: Int)
    /// An integer beyond ±(2^53 − 1).
    case integerOutOfRange(offset: Int)
    /// The same member name twice in one object (RFC 8785 §3.1 forbids it).
    case duplicateKey(offset: Int, key: String)
    /// Bytes that are not UTF-8, or an escaped lone surrogate (RFC 8785 §3.2.2.2).
    case invalidUnicode(offset: Int)
    /// Nested deeper than `CanonicalJSON.maximumDepth`.
    case tooDeep(offset: Int)
    /// Valid JSON, but not byte-for-byte its RFC 8785 form: whitespace, key order,
    /// escaping or number spelling differ. `offset` is the first differing byte.
    case notCanonical(offset: Int)

    public var description: String {
        switch self {
        case .syntax(let offset, let reason): "JSON syntax error at byte \(offset): \(reason)"
        case .nullNotAllowed(let offset): "null at byte \(offset): absent fields are omitted, never null"
        case .notAnInteger(let offset): "number at byte \(offset) is not an integer: decimals are carried as strings"
        case .integerOutOfRange(let offset): "integer at byte \(offset) is outside ±(2^53−1)"
        case .duplicateKey(let offset, let key): "duplicate member \"\(key)\" at byte \(offset)"
        case .invalidUnicode(let offset): "invalid UTF-8 or lone surrogate at byte \(offset)"
        case .tooDeep(let offset): "nesting deeper than \(CanonicalJSON.maximumDepth) at byte \(offset)"
        case .notCanonical(let offset): "not canonical JSON (RFC 8785): first difference at byte \(offset)"
        }
    }
}
