/// RFC 8785 JSON Canonicalization Scheme (JCS), restricted to `JSONValue`:
///
/// - objects: members sorted by their names' UTF-16 code units (§3.2.3), no
///   insignificant whitespace (§3.2.1);
/// - strings: UTF-8, escaping exactly as ECMAScript `JSON.stringify` does (§3.2.2.2):
///   `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other controls below U+0020 as
///   `\u00xx` in lowercase hex, everything else (including `/` and non-ASCII) literal;
/// - numbers: integers only, within ±(2^53 − 1), in plain decimal — exactly what
///   ECMAScript's Number serialisation (§3.2.2.3) yields for them;
/// - literals: `true` and `false`; `null` is not used.
///
/// `decode` accepts only canonical bytes: it parses, re-encodes and compares, so
/// a record has exactly one payload and hence one id.
public enum CanonicalJSON {
    /// How deep objects and arrays may nest. Records need five or six levels.
    public static let maximumDepth = 32

    // MARK: Encoding

    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(value, to: &out)
        return out
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in sortedMembers(members) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(member, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let string):
            writeString(string, to: &out)
        case .integer(let integer):
            precondition(integer.magnitude <= UInt64(JSONValue.maximumIntegerMagnitude),
                         "integer \(integer) is outside ±(2^53−1) and has no canonical JSON form")
            out += String(integer).utf8
        case .bool(let bool):
            out += (bool ? "true" : "false").utf8
        }
    }

    /// Members in RFC 8785 §3.2.3 order: by the UTF-16 code units of their names.
    public static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        members.map { (key: $0.key, value: $0.value, units: Array($0.key.utf16)) }
            .sorted { $0.units.lexicographicallyPrecedes($1.units) }
            .map { (key: $0.key, value: $0.value) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Decoding

    /// Parses canonical bytes; anything that is not byte-for-byte the RFC 8785
    /// form of the value it denotes is rejected with `.notCanonical`.
    public static func decode(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> JSONValue {
        let input = Array(bytes)
        let value = try parse(input)
        let canonical = encode(value)
        if canonical != input {
            let offset = zip(canonical, input).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(canonical.count, input.count)
            throw .notCanonical(offset: offset)
        }
        return value
    }

    /// Parses any JSON text within the restrictions of `JSONValue` (whitespace and
    /// key order are free). Use `decode` for signed content.
    public static func parse(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> JSONValue {
        var parser = Parser(bytes: Array(bytes))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw .syntax(offset: parser.index, reason: "unexpected data after the value")
        }
        return value
    }
}

/// A recursive-descent RFC 8259 parser over UTF-8 bytes.
private struct Parser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func expect(_ byte: UInt8) throws(CanonicalJSONError) {
        guard peek() == byte else {
            throw .syntax(offset: index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    mutating func parseValue(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        guard depth <= CanonicalJSON.maximumDepth else { throw .tooDeep(offset: index) }
        guard let byte = peek() else { throw .syntax(offset: index, reason: "unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            let start = index
            try literal("null")
            throw .nullNotAllowed(offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseInteger()
        default: throw .syntax(offset: index, reason: "unexpected character")
        }
    }

    mutating func literal(_ word: String) throws(CanonicalJSONError) {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw .syntax(offset: index, reason: "invalid literal")
        }
        index += utf8.count
    }

    mutating func parseObject(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard peek() == UInt8(ascii: "\"") else { throw .syntax(offset: index, reason: "expected a member name") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicateKey(offset: keyOffset, key: key) }
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    mutating func parseArray(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"))
            return .array(elements)
        }
    }

    mutating func parseInteger() throws(CanonicalJSONError) -> JSONValue {
        let start = index
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; index += 1 }
        let digitsStart = index
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        guard index > digitsStart else { throw .syntax(offset: index, reason: "expected a digit") }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw .notAnInteger(offset: start)
        }
        if bytes[digitsStart] == UInt8(ascii: "0") && index - digitsStart > 1 {
            throw .syntax(offset: digitsStart, reason: "leading zero")
        }
        guard index - digitsStart <= 16 else { throw .integerOutOfRange(offset: start) }
        var magnitude: Int64 = 0
        for byte in bytes[digitsStart..<index] { magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0")) }
        guard magnitude <= JSONValue.maximumIntegerMagnitude else { throw .integerOutOfRange(offset: start) }
        return .integer(negative ? -magnitude : magnitude)
    }

    mutating func parseString() throws(CanonicalJSONError) -> String {
        let start = index
        index += 1
        var out = [UInt8]()
        while true {
            guard let byte = peek() else { throw .syntax(offset: index, reason: "unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: out, as: UTF8.self) else { throw .invalidUnicode(offset: start) }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                throw .syntax(offset: index - 1, reason: "unescaped control character in a string")
            default:
                out.append(byte)
            }
        }
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(CanonicalJSONError) {
        guard let byte = peek() else { throw .syntax(offset: index, reason: "unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = index - 2
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw .invalidUnicode(offset: escapeStart)
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw .invalidUnicode(offset: escapeStart) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw .invalidUnicode(offset: escapeStart)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .invalidUnicode(offset: escapeStart) }
            out += Array(String(Character(unicode)).utf8)
        default:
            throw .syntax(offset: index - 1, reason: "invalid escape")
        }
    }

    mutating func hex4() throws(CanonicalJSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .syntax(offset: index, reason: "short \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .syntax(offset: index, reason: "invalid \\u escape")
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }
}
