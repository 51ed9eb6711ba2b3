/// A key's identifier: the first 8 bytes of SHA-256 over the DER encoding of its
/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), written as 16 lowercase hex digits.
///
/// Hashing the whole SubjectPublicKeyInfo binds the algorithm (and curve) as well
/// as the key, so two keys of different algorithms never share an id. Anyone can
/// recompute it: `openssl pkey -pubin -in K.pub -outform DER | sha256sum | cut -c1-16`.
public struct KeyID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public static let byteCount = 8
    public let bytes: [UInt8]

    public init(subjectPublicKeyInfo der: [UInt8]) {
        bytes = Array(Digest.sha256(der).prefix(Self.byteCount))
    }

    /// Parses 16 hex digits; nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == Self.byteCount * 2, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// The first 4 bytes as a big-endian integer: the short form a unit code carries
    /// to select candidate keys (the signature, not the id, decides authenticity).
    public var short: UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
    public static func < (a: KeyID, b: KeyID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = KeyID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a key id is 16 lowercase hex digits, got \"\(text)\""))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Lowercase hexadecimal.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes lowercase or uppercase hex; nil on odd length or a non-hex character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
