/// The GS1 standard check digit for numeric identification keys
/// (GTIN-8/12/13/14, SSCC, GLN, GSRN, GDTI, ...).
///
/// Algorithm from GS1 General Specifications §7.9.1 ("Standard check digit
/// calculations for GS1 data structures"): weight the data digits 3, 1, 3, 1, …
/// starting from the digit immediately left of the check digit, sum them, and
/// the check digit is the amount needed to reach the next multiple of ten.
///
/// Works digit by digit, so 18-digit keys (SSCC, GSRN) need no big integers.
public enum GS1CheckDigit {

    /// The check digit for `payload`, the key's digits *without* its check digit.
    ///
    /// - Returns: 0…9, or `nil` if `payload` is empty or contains a non-digit.
    public static func compute<S: StringProtocol>(forPayload payload: S) -> Int? {
        guard !payload.isEmpty else { return nil }
        var sum = 0
        // Rightmost data digit has weight 3, then alternating 1, 3, ...
        for (offset, character) in payload.reversed().enumerated() {
            guard let digit = character.asciiDigitValue else { return nil }
            sum += offset.isMultiple(of: 2) ? digit * 3 : digit
        }
        return (10 - sum % 10) % 10
    }

    /// The check digit that `number` (payload followed by its check digit) should end with.
    ///
    /// - Returns: `nil` if `number` has fewer than two characters or contains a non-digit.
    public static func expected<S: StringProtocol>(for number: S) -> Int? {
        guard number.count >= 2, number.last?.asciiDigitValue != nil else { return nil }
        return compute(forPayload: number.dropLast())
    }

    /// Whether the last digit of `number` is the correct GS1 check digit for the digits before it.
    public static func isValid<S: StringProtocol>(_ number: S) -> Bool {
        guard let expected = expected(for: number) else { return false }
        return number.last?.asciiDigitValue == expected
    }
}

extension Character {
    /// The value of an ASCII digit `0`…`9`; `nil` for anything else (including non-ASCII digits).
    var asciiDigitValue: Int? {
        guard let ascii = asciiValue, ascii >= 0x30, ascii <= 0x39 else { return nil }
        return Int(ascii - 0x30)
    }
}
