import YimaCrypto

/// The characters a lot or serial may use in a unit code: A–Z, 0–9 and '-', one to
/// twenty of them. A subset of the GS1 AI (10)/(21) character set 82 (GS1 General
/// Specifications §7.11) that is also inside the QR alphanumeric set and needs no
/// percent-encoding in a URI, so lot and serial cost 5.5 bits a character.
public enum UnitCodeAlphabet {
    public static let maximumLength = 20

    public static func isValid(_ value: some StringProtocol) -> Bool {
        let utf8 = value.utf8
        return !utf8.isEmpty && utf8.count <= maximumLength && utf8.allSatisfy { c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "-")
        }
    }

    /// The 32 symbols random serials are drawn from: digits and capitals without
    /// I, L, O and U, which are easily confused when a consumer types a code in.
    public static let serialSymbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// Serial length: 12 symbols carry 60 random bits, so a counterfeiter who has seen
    /// any number of labels guesses a live serial of a million-unit batch with odds
    /// below one in 10^12 per try.
    public static let serialLength = 12

    /// A new unguessable serial from OpenSSL's CSPRNG.
    public static func randomSerial() -> String {
        serial(from: randomSerialValue())
    }

    /// 60 random bits from OpenSSL's CSPRNG: the value behind a serial, kept as an
    /// integer so that a batch can check uniqueness cheaply.
    public static func randomSerialValue() -> UInt64 {
        randomSerialValues(1)[0]
    }

    /// `count` such values from one call to the CSPRNG.
    public static func randomSerialValues(_ count: Int) -> [UInt64] {
        let bytes = secureRandomBytes(8 * count)
        return (0..<count).map { index in
            bytes[(8 * index)..<(8 * index + 8)].reduce(0) { $0 << 8 | UInt64($1) } & (1 << 60 - 1)
        }
    }

    /// The 12 symbols for a 60-bit value, most significant five bits first.
    public static func serial(from value: UInt64) -> String {
        var symbols = [UInt8](repeating: 0, count: serialLength)
        for index in 0..<serialLength {
            symbols[index] = serialSymbols[Int(value >> UInt64(5 * (serialLength - 1 - index)) & 31)]
        }
        return String(decoding: symbols, as: UTF8.self)
    }
}
