/// Base64 (RFC 4648 §4) and base64url (§5) without Foundation, for PEM and for
/// formats that carry bytes as text.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Padded standard base64.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encode(bytes, alphabet: standard, pad: true), as: UTF8.self)
    }

    /// Unpadded base64url.
    public static func urlEncode(_ bytes: [UInt8]) -> String {
        String(decoding: encode(bytes, alphabet: url, pad: false), as: UTF8.self)
    }

    /// Decodes padded standard base64 (RFC 4648 §4) in its one canonical spelling:
    /// only the standard alphabet, a length that is a multiple of 4, exactly the
    /// padding the length needs, and zero padding bits (RFC 4648 §3.5). Nil for any
    /// other text, so that no two texts decode to the same bytes: a signature, key
    /// or hash has exactly one spelling, and changing any character is detected.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(Array(text.utf8), alphabet: standardValues, padded: true)
    }

    /// Decodes unpadded base64url (RFC 4648 §5) in its one canonical spelling: only
    /// the url alphabet, no `=`, a length that is not 1 more than a multiple of 4,
    /// and zero padding bits. Nil for any other text.
    public static func urlDecode(_ text: some StringProtocol) -> [UInt8]? {
        decode(Array(text.utf8), alphabet: urlValues, padded: false)
    }

    /// Symbol values by ASCII byte; 0xFF for bytes outside the alphabet.
    private static let standardValues = values(of: standard)
    private static let urlValues = values(of: url)

    private static func values(of alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }

    private static func decode(_ text: [UInt8], alphabet values: [UInt8], padded: Bool) -> [UInt8]? {
        var symbols = text[...]
        if padded {
            guard text.count % 4 == 0 else { return nil }
            // At most two '=', only at the end.
            while symbols.last == UInt8(ascii: "="), text.count - symbols.count < 2 { symbols.removeLast() }
        }
        // 4k+1 symbols would leave 6 bits: less than a byte, never produced by an encoder.
        guard symbols.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // The leftover 2 or 4 bits are padding bits and must be zero (RFC 4648 §3.5).
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)]]
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) }
            if pad { out += Array(repeating: UInt8(ascii: "="), count: 3 - rest) }
        }
        return out
    }
}
