/// A decimal number carried as a string, because payloads hold integers only
/// (docs/envelope.md): doses, quantities, coordinates. One spelling per value:
/// an optional '-', no leading zeros, and a fraction (if any) that does not end
/// in 0 — `0.75`, `34.2712`, `12`; not `.75`, `0.750`, `+1`, `-0` or `1e3`.
public struct DecimalString: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    /// At most this many digits in all, so that every value fits a `Double` closely
    /// and a string cannot grow without bound.
    public static let maximumDigits = 18

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        let bad = RecordsMessage.decimalShape.texts()
        var text = Substring(candidate)
        if text.hasPrefix("-") { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, String(whole).isASCIIDigits else { return bad }
        if whole.count > 1 && whole.hasPrefix("0") { return bad }
        if parts.count == 2 {
            guard String(parts[1]).isASCIIDigits, !parts[1].hasSuffix("0") else { return bad }
        }
        if candidate == "-0" { return bad }
        guard text.utf8.count - (parts.count - 1) <= maximumDigits else { return bad }
        return nil
    }

    public var isNegative: Bool { rawValue.hasPrefix("-") }

    /// The value as a `Double` (for ranges and display; exact arithmetic is not needed).
    public var doubleValue: Double { Double(rawValue)! }
}
