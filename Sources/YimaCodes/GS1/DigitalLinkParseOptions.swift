/// Relaxations of the strict GS1 Digital Link URI parser. The default, ``strict``,
/// matches GS1 Digital Link URI Syntax 1.x and the defaults of gs1-syntax-engine.
public struct DigitalLinkParseOptions: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// No relaxations.
    public static let strict: DigitalLinkParseOptions = []

    /// Accept a GTIN-8, GTIN-12 or GTIN-13 for AI (01) and pad it with leading zeros
    /// to a GTIN-14 (legacy URIs; DL URI Syntax requires the 14-digit form).
    public static let permitZeroSuppressedGTIN = DigitalLinkParseOptions(rawValue: 1 << 0)

    /// Accept the convenience alphas such as `/gtin/` for `/01/`, removed from
    /// GS1 Digital Link URI Syntax in version 1.3.
    public static let permitConvenienceAlphas = DigitalLinkParseOptions(rawValue: 1 << 1)

    /// Accept well-formed numeric AIs missing from the AI dictionary
    /// (they are still not accepted as data attributes, see ``unknownAIsAsDataAttributes``).
    public static let permitUnknownAIs = DigitalLinkParseOptions(rawValue: 1 << 2)

    /// With ``permitUnknownAIs``, accept unknown AIs as query-string data attributes.
    public static let unknownAIsAsDataAttributes = DigitalLinkParseOptions(rawValue: 1 << 3)
}
