/// The short code printed under a label's QR for typing in when a camera fails
/// (docs/labels.md §Short code): the unit's 12-symbol serial and one check symbol,
/// written in groups of four, e.g. `K3M9-Q2ZC-7W1A-5`.
///
/// The check symbol is Luhn mod 32 over the serial alphabet
/// (`UnitCodeAlphabet.serialSymbols`): it catches every single mistyped symbol and
/// every swap of two adjacent symbols (unless they are the pair that Luhn mod N
/// cannot tell apart). Reading is forgiving: case, spaces and hyphens are ignored,
/// and O, I and L — absent from the alphabet — are read as 0, 1 and 1.
public struct ShortCode: Sendable, Hashable, CustomStringConvertible {
    /// The unit's serial (GS1 AI 21).
    public let serial: String
    /// The check symbol.
    public let check: Character

    /// The short code of a serial Yima minted; nil for a serial outside the
    /// 12-symbol random-serial alphabet (such a unit has no short code).
    public init?(serial: String) {
        let symbols = Array(serial.utf8)
        guard symbols.count == UnitCodeAlphabet.serialLength,
              let check = Self.checkSymbol(for: symbols) else { return nil }
        self.serial = serial
        self.check = Character(Unicode.Scalar(check))
    }

    /// Reads a typed short code; nil if it is not 13 symbols of the alphabet or its check symbol is wrong.
    public init?(typed text: String) {
        var symbols: [UInt8] = []
        // ASCII letters only: Unicode case mapping would read other scripts' letters
        // (dotless ı, ligatures) as symbols.
        for byte in text.utf8.map({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }) {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "O"): symbols.append(UInt8(ascii: "0"))
            case UInt8(ascii: "I"), UInt8(ascii: "L"): symbols.append(UInt8(ascii: "1"))
            default: symbols.append(byte)
            }
        }
        guard symbols.count == UnitCodeAlphabet.serialLength + 1,
              let expected = Self.checkSymbol(for: Array(symbols.dropLast())), expected == symbols.last else { return nil }
        self.init(serial: String(decoding: symbols.dropLast(), as: UTF8.self))
    }

    /// `K3M9-Q2ZC-7W1A-5`: the serial in groups of four, then the check symbol.
    public var description: String {
        let characters = Array(serial) + [check]
        return stride(from: 0, to: characters.count, by: 4)
            .map { String(characters[$0..<min($0 + 4, characters.count)]) }
            .joined(separator: "-")
    }

    /// Luhn mod N (N = 32): from the right, every second symbol's value is doubled
    /// and its base-32 digits summed; the check value brings the sum to a multiple of 32.
    static func checkSymbol(for symbols: [UInt8]) -> UInt8? {
        let alphabet = UnitCodeAlphabet.serialSymbols
        var sum = 0
        var factor = 2
        for symbol in symbols.reversed() {
            guard let value = alphabet.firstIndex(of: symbol) else { return nil }
            let addend = factor * value
            sum += addend / 32 + addend % 32
            factor = 3 - factor
        }
        return alphabet[(32 - sum % 32) % 32]
    }
}
