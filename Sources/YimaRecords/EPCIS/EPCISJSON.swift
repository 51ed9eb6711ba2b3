/// A JSON value as an EPCIS 2.0 document carries it (EPCIS 2.0 §11, JSON-LD): members
/// keep their order, numbers keep their literal text (a quantity of `0.750` stays
/// exactly that until the mapping judges it), and `null` exists. Yima's own
/// `JSONValue` is deliberately narrower (canonical payloads only).
public indirect enum EPCISJSON: Sendable, Hashable {
    case object([Member])
    case array([EPCISJSON])
    case string(String)
    /// The number's literal text, e.g. `"12000"` or `"0.75"`.
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Sendable, Hashable {
        public let key: String
        public let value: EPCISJSON
        public init(_ key: String, _ value: EPCISJSON) {
            self.key = key
            self.value = value
        }
    }

    /// An object from members in the order given.
    public static func fields(_ pairs: KeyValuePairs<String, EPCISJSON?>) -> EPCISJSON {
        .object(pairs.compactMap { key, value in value.map { Member(key, $0) } })
    }

    public subscript(key: String) -> EPCISJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? { if case .string(let text) = self { text } else { nil } }
    public var array: [EPCISJSON]? { if case .array(let elements) = self { elements } else { nil } }
    public var members: [Member]? { if case .object(let members) = self { members } else { nil } }

    public var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}

// MARK: Writing

extension EPCISJSON {
    /// UTF-8 JSON, two-space indented, members in their order.
    public func serialized(indent: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out, depth: 0, indent: indent)
        if indent { out.append(0x0A) }
        return out
    }

    private func write(to out: inout [UInt8], depth: Int, indent: Bool) {
        func newline(_ level: Int) {
            guard indent else { return }
            out.append(0x0A)
            out += [UInt8](repeating: 0x20, count: level * 2)
        }
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out += Array("{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                CanonicalJSON.writeString(member.key, to: &out)
                out += indent ? Array(": ".utf8) : [UInt8(ascii: ":")]
                member.value.write(to: &out, depth: depth + 1, indent: indent)
            }
            newline(depth)
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard !elements.isEmpty else { out += Array("[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                element.write(to: &out, depth: depth + 1, indent: indent)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
        case .string(let text): CanonicalJSON.writeString(text, to: &out)
        case .number(let literal): out += Array(literal.utf8)
        case .bool(let value): out += Array((value ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        }
    }
}
