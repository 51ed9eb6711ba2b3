/// RFC 8259 JSON parsing for EPCIS documents, bounded in size and depth, whose
/// errors name the JSON path being read and the byte offset: a truncated document
/// fails with the path of the value that was cut off.
extension EPCISJSON {
    /// The largest document accepted: 16 MiB.
    public static let maximumDocumentBytes = 16 << 20
    public static let maximumDepth = 64

    public static func parse(_ bytes: [UInt8]) throws(EPCISProblems) -> EPCISJSON {
        guard bytes.count <= maximumDocumentBytes else {
            throw EPCISProblems([.invalid("$", .epcisTooLarge, ["bytes": bytes.count, "limit": maximumDocumentBytes])])
        }
        var parser = Parser(bytes: bytes)
        do throws(RecordError) {
            let value = try parser.value(path: "$", depth: 0)
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.failure("$", "trailing data after the document") }
            return value
        } catch {
            throw EPCISProblems([error])
        }
    }

    struct Parser {
        let bytes: [UInt8]
        var index = 0

        func failure(_ path: String, _ reason: String) -> RecordError {
            RecordError.invalid(path, .epcisSyntax, ["offset": index, "reason": reason])
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(path: String, depth: Int) throws(RecordError) -> EPCISJSON {
            skipWhitespace()
            guard depth < EPCISJSON.maximumDepth else { throw failure(path, "nested deeper than \(EPCISJSON.maximumDepth)") }
            guard index < bytes.count else { throw failure(path, "the document ends here (truncated?)") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(path: path, depth: depth)
            case UInt8(ascii: "["): return try array(path: path, depth: depth)
            case UInt8(ascii: "\""): return .string(try string(path: path))
            case UInt8(ascii: "t"): try literal("true", path); return .bool(true)
            case UInt8(ascii: "f"): try literal("false", path); return .bool(false)
            case UInt8(ascii: "n"): try literal("null", path); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number(path: path))
            default: throw failure(path, "unexpected character")
            }
        }

        mutating func literal(_ word: String, _ path: String) throws(RecordError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure(path, "expected \(word)")
            }
            index += expected.count
        }

        mutating func object(path: String, depth: Int) throws(RecordError) -> EPCISJSON {
            index += 1
            var members: [Member] = []
            var seen = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count else { throw failure(path, "the document ends inside an object (truncated?)") }
                guard bytes[index] == UInt8(ascii: "\"") else { throw failure(path, "expected a member name") }
                let key = try string(path: path)
                guard seen.insert(key).inserted else { throw failure(Self.path(path, key), "member given twice") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw failure(Self.path(path, key), index < bytes.count ? "expected ':'" : "the document ends here (truncated?)")
                }
                index += 1
                members.append(Member(key, try value(path: Self.path(path, key), depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw failure(path, "the document ends inside an object (truncated?)") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure(path, "expected ',' or '}'")
            }
        }

        mutating func array(path: String, depth: Int) throws(RecordError) -> EPCISJSON {
            index += 1
            var elements: [EPCISJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                elements.append(try value(path: "\(path)[\(elements.count)]", depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw failure(path, "the document ends inside an array (truncated?)") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw failure(path, "expected ',' or ']'")
            }
        }

        mutating func number(path: String) throws(RecordError) -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            let integerStart = index
            let integerDigits = digits()
            guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else {
                throw failure(path, "malformed number")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw failure(path, "malformed number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw failure(path, "malformed number") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string(path: String) throws(RecordError) -> String {
            index += 1
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw failure(path, "the document ends inside a string (truncated?)") }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: out, as: UTF8.self) else { throw failure(path, "invalid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw failure(path, "the document ends inside a string (truncated?)") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4(path)
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw failure(path, "unpaired surrogate")
                            }
                            index += 2
                            let low = try hex4(path)
                            guard (0xDC00..<0xE000).contains(low) else { throw failure(path, "unpaired surrogate") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw failure(path, "unpaired surrogate") }
                        out += Array(String(Character(unicode)).utf8)
                    default: throw failure(path, "invalid escape")
                    }
                case 0x00..<0x20: throw failure(path, "control character in a string")
                default: out.append(byte)
                }
            }
        }

        mutating func hex4(_ path: String) throws(RecordError) -> UInt32 {
            guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw failure(path, "invalid \\u escape")
            }
            index += 4
            return value
        }

        /// `$.a.b`, or `$["odd key"]` for a name that is not a plain identifier.
        static func path(_ parent: String, _ key: String) -> String {
            let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                    || byte == UInt8(ascii: "@")
            }
            if plain { return "\(parent).\(key)" }
            var quoted: [UInt8] = []
            CanonicalJSON.writeString(key, to: &quoted)
            return "\(parent)[\(String(decoding: quoted, as: UTF8.self))]"
        }
    }
}

/// Every problem found in an EPCIS document, each with its JSON path (`field`).
public struct EPCISProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [RecordError]
    public init(_ problems: [RecordError]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
