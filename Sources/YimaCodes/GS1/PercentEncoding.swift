/// Percent-encoding as GS1 Digital Link: URI Syntax 1.x applies it (RFC 3986 §2.1):
/// `+` is a literal plus in the path, but a space in the query string
/// (HTML form encoding, which is what browsers produce).
enum PercentEncoding {

    /// RFC 3986 §2.3 unreserved characters, the only ones never escaped.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// The bytes `text` stands for, or `nil` if a `%` is not followed by two hex digits.
    static func decodedBytes<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> [UInt8]? {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard input.count >= 2, let high = hexValue(input.removeFirst()),
                      let low = hexValue(input.removeFirst()) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return bytes
    }

    /// Decodes an AI value, rejecting bad escapes, NUL and invalid UTF-8.
    static func decodeValue<S: StringProtocol>(_ text: S, ai: String, plusIsSpace: Bool) throws(DigitalLinkError) -> String {
        guard let bytes = decodedBytes(text, plusIsSpace: plusIsSpace),
              let value = String(validating: bytes, as: UTF8.self) else {
            throw .invalidPercentEncoding(String(text))
        }
        if bytes.contains(0) { throw .nullCharacter(ai: ai) }
        return value
    }

    /// Escapes everything but unreserved characters; in a query value a space becomes `+`.
    /// A `+` is always escaped (`%2B`) so it reads the same in path and query.
    static func encode(_ text: String, inQuery: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") && inQuery {
                result += "+"
            } else {
                result += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
