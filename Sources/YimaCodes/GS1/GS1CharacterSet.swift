/// The character sets an AI value component may use, as named by the GS1 Barcode
/// Syntax Dictionary (`N`, `X`, `Y`, `Z`) and defined in GS1 General Specifications
/// §7.11 (Figures 7.11-1 to 7.11-3).
public enum GS1CharacterSet: Character, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `N`: digits `0`…`9`.
    case numeric = "N"
    /// `X`: GS1 AI encodable character set 82 (ISO 646 invariant subset).
    case cset82 = "X"
    /// `Y`: GS1 AI encodable character set 39 (`#`, `-`, `/`, digits, upper-case letters).
    case cset39 = "Y"
    /// `Z`: GS1 AI encodable character set 64, the RFC 4648 base64url alphabet, with `=` padding only at the end.
    case cset64 = "Z"

    /// Whether `character` belongs to this set. Only the trailing-padding rule of
    /// ``cset64`` depends on position, so that is checked by ``accepts(_:)``.
    public func contains(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        let isDigit = (0x30...0x39).contains(ascii)
        let isUpper = (0x41...0x5A).contains(ascii)
        let isLower = (0x61...0x7A).contains(ascii)
        switch self {
        case .numeric:
            return isDigit
        case .cset82:
            return isDigit || isUpper || isLower || Self.cset82Symbols.contains(character)
        case .cset39:
            return isDigit || isUpper || character == "#" || character == "-" || character == "/"
        case .cset64:
            return isDigit || isUpper || isLower || character == "-" || character == "_" || character == "="
        }
    }

    /// The first character of `text` that this set does not allow, if any.
    public func firstInvalidCharacter<S: StringProtocol>(in text: S) -> Character? {
        if let bad = text.first(where: { !contains($0) }) { return bad }
        // base64url padding may only close the value.
        if self == .cset64, let padding = text.firstIndex(of: "="),
           let bad = text[padding...].first(where: { $0 != "=" }) {
            return bad
        }
        return nil
    }

    /// Whether every character of `text` is allowed.
    public func accepts<S: StringProtocol>(_ text: S) -> Bool {
        firstInvalidCharacter(in: text) == nil
    }

    public var description: String {
        switch self {
        case .numeric: "digits (N)"
        case .cset82: "GS1 character set 82 (X)"
        case .cset39: "GS1 character set 39 (Y)"
        case .cset64: "GS1 character set 64, base64url (Z)"
        }
    }

    private static let cset82Symbols: Set<Character> = [
        "!", "\"", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
        ":", ";", "<", "=", ">", "?", "_",
    ]
}
