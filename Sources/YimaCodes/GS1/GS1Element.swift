/// One piece of GS1 AI data: an Application Identifier and its value,
/// e.g. `(01)09506000134352` is `GS1Element(ai: "01", value: "09506000134352")`.
public struct GS1Element: Sendable, Hashable, CustomStringConvertible {
    /// The AI, e.g. `"01"`.
    public var ai: String
    /// The value, unescaped, e.g. `"09506000134352"`.
    public var value: String

    public init(ai: String, value: String) {
        self.ai = ai
        self.value = value
    }

    /// Bracketed (human readable) form, `(01)09506000134352`.
    public var description: String { "(\(ai))\(value)" }
}

extension Sequence where Element == GS1Element {
    /// The element string in the `^` notation (GS1 General Specifications §7.8, concatenation):
    /// a leading `^` for the symbology's FNC1, and a `^` separator after every value
    /// that is not of predefined length when more data follows.
    /// AIs missing from `dictionary` are treated as needing a separator.
    public func elementString(using dictionary: ApplicationIdentifierDictionary = .standard) -> String {
        var result = ""
        var separatorNeeded = true   // the leading FNC1
        for element in self {
            if separatorNeeded { result += "^" }
            result += element.ai + element.value
            separatorNeeded = dictionary[element.ai]?.requiresFNC1Separator ?? true
        }
        return result
    }

    /// The bracketed form, e.g. `(01)09506000134352(10)ABC`.
    public var bracketedElementString: String { map(\.description).joined() }
}
