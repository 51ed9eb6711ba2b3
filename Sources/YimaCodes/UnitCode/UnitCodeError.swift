import YimaText

/// Why a scanned string is not a well-formed Yima unit code. Each case names the
/// part at fault; `message(in:)` gives the user-facing text.
public enum UnitCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// No `http://` or `https://` scheme, or not a URL at all.
    case notAURL(String)
    /// A URL, but not a GS1 Digital Link URI; carries the parser's reason.
    case notDigitalLink(String)
    /// The GTIN's last digit is not its GS1 mod-10 check digit.
    case badCheckDigit(gtin: String, expected: Int)
    /// A GS1 Digital Link URI without the GTIN, lot or serial a unit code needs.
    case missingElement(ai: String)
    /// A GS1 element a Yima unit code does not carry (e.g. an expiry date in the path).
    case unexpectedElement(ai: String)
    /// A lot or serial outside the documented alphabet (A–Z, 0–9, '-'; 1–20 characters).
    case invalidValue(ai: String, value: String)
    /// No `s` query parameter: an unsigned GS1 Digital Link URI.
    case missingSignature
    /// The format version digit is not one this build reads.
    case unsupportedVersion(String)
    /// The `s` parameter is not the expected fixed-length run of digits.
    case badSignatureEncoding(String)
    /// A URL part a unit code never has: user information, a fragment, a query
    /// parameter other than `s`, or a path prefix segment outside its alphabet.
    case unexpectedURLPart(String)
    /// The resolver base URL given to an issuer is unusable.
    case invalidBaseURL(String)

    /// A stable identifier of the case, as in docs/test-vectors/code-v1/spellings.json,
    /// so that another verifier's reasons can be compared with ours.
    public var reason: String {
        switch self {
        case .empty: "empty"
        case .notAURL: "not-a-url"
        case .notDigitalLink: "not-digital-link"
        case .badCheckDigit: "bad-check-digit"
        case .missingElement: "missing-element"
        case .unexpectedElement: "unexpected-element"
        case .invalidValue: "invalid-value"
        case .missingSignature: "missing-signature"
        case .unsupportedVersion: "unsupported-version"
        case .badSignatureEncoding: "bad-signature-encoding"
        case .unexpectedURLPart: "unexpected-url-part"
        case .invalidBaseURL: "invalid-base-url"
        }
    }

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        switch self {
        case .empty:
            CodesMessage.unitCodeEmpty.text(in: language)
        case .notAURL(let why):
            CodesMessage.unitCodeNotAURL.text(in: language, ["reason": why])
        case .notDigitalLink(let why):
            CodesMessage.unitCodeNotDigitalLink.text(in: language, ["reason": why])
        case .badCheckDigit(let gtin, let expected):
            CodesMessage.unitCodeBadCheckDigit.text(in: language, ["gtin": gtin, "expected": expected])
        case .missingElement(let ai):
            CodesMessage.unitCodeMissingElement.text(in: language, ["ai": ai, "name": Self.elementName(ai, language)])
        case .unexpectedElement(let ai):
            CodesMessage.unitCodeUnexpectedElement.text(in: language, ["ai": ai])
        case .invalidValue("01", let value):
            CodesMessage.unitCodeInvalidGTIN.text(in: language, ["value": value])
        case .invalidValue(let ai, let value):
            CodesMessage.unitCodeInvalidValue.text(in: language, ["ai": ai, "name": Self.elementName(ai, language), "value": value])
        case .missingSignature:
            CodesMessage.unitCodeMissingSignature.text(in: language)
        case .unsupportedVersion(let version):
            CodesMessage.unitCodeUnsupportedVersion.text(in: language, ["version": version])
        case .badSignatureEncoding(let why):
            CodesMessage.unitCodeBadSignatureEncoding.text(in: language, ["reason": why])
        case .unexpectedURLPart(let part):
            CodesMessage.unitCodeUnexpectedURLPart.text(in: language, ["part": part])
        case .invalidBaseURL(let why):
            CodesMessage.unitCodeInvalidBaseURL.text(in: language, ["reason": why])
        }
    }

    /// The name of a GS1 element a unit code carries; empty for any other.
    private static func elementName(_ ai: String, _ language: Language) -> String {
        let name: CodesMessage? = switch ai {
        case "01": .elementGTIN
        case "10": .elementLot
        case "21": .elementSerial
        default: nil
        }
        return name?.text(in: language) ?? ""
    }
}
