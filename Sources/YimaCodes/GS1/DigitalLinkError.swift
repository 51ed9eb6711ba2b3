/// Why a string is not an acceptable GS1 Digital Link URI, or why AI data cannot
/// be turned into one. Each case names the offending part of the input.
public enum DigitalLinkError: Error, Sendable, Hashable, CustomStringConvertible {

    // MARK: URI structure

    /// The input is the empty string.
    case emptyInput
    /// The input has no `scheme://` and so is not an absolute web URI.
    case notAURI(String)
    /// The scheme is neither `http` nor `https`.
    case unsupportedScheme(String)
    /// `http`/`https` written in mixed case, e.g. `HtTp` (only all-lower or all-upper is accepted).
    case mixedCaseScheme(String)
    /// A character that may not appear in a URI (RFC 3986 §2), or in a stem after the domain, at this character offset.
    case illegalCharacter(Character, offset: Int)
    /// Nothing between `scheme://` and the path.
    case missingDomain
    /// The domain (authority) contains a character a host name or port cannot have.
    case invalidDomainCharacter(Character, domain: String)
    /// The URI ends after the domain: there is no path to carry the GS1 key.
    case missingPath(String)
    /// The path ends with `/`, which GS1 Digital Link URI Syntax does not allow.
    case trailingSlash(path: String)
    /// No `/{primary key AI}/{value}` pair ends the path.
    case noPrimaryKeyInPath(String)
    /// A deprecated convenience alpha such as `gtin` was used without
    /// ``DigitalLinkParseOptions/permitConvenienceAlphas``.
    case convenienceAlphaNotPermitted(String)
    /// A `%` not followed by two hexadecimal digits, or an escape that is not UTF-8, in this component.
    case invalidPercentEncoding(String)

    // MARK: AI data

    /// A numeric AI that is not in the GS1 AI dictionary.
    case unknownAI(String)
    /// The AI is present but its value is empty.
    case emptyValue(ai: String)
    /// The decoded value of the AI contains `%00`.
    case nullCharacter(ai: String)
    /// The value is shorter than the AI's format allows.
    case valueTooShort(ai: String, value: String, minimumLength: Int)
    /// The value is longer than the AI's format allows.
    case valueTooLong(ai: String, value: String, maximumLength: Int)
    /// The value contains a character outside the character set of its component.
    case invalidCharacter(ai: String, value: String, character: Character, allowed: GS1CharacterSet)
    /// The value's GS1 check digit is wrong; `expected` is the correct one.
    case invalidCheckDigit(ai: String, value: String, expected: Int)
    /// The same AI occurs more than once (or, when generating, with different values).
    case duplicateAI(String)

    // MARK: Key, qualifiers and data attributes

    /// A path AI after the primary key is not one of that key's qualifiers.
    case qualifierNotAllowed(qualifier: String, key: String)
    /// The key's qualifiers are in the wrong order or mix alternative qualifier paths.
    case qualifiersOutOfOrder(key: String, qualifiers: [String])
    /// A query-string AI is a qualifier of the path's key and must be written in the path.
    case belongsInPath(ai: String, key: String)
    /// A query-string AI that is not permitted as a Digital Link data attribute.
    case notADataAttribute(String)
    /// AI data given for generation contains no GS1 Digital Link primary key.
    case noPrimaryKeyInElements([String])

    public var description: String {
        switch self {
        case .emptyInput:
            "The input is empty, not a GS1 Digital Link URI."
        case .notAURI(let input):
            "\"\(input)\" is not an absolute http(s) URI: it has no \"scheme://\"."
        case .unsupportedScheme(let scheme):
            "Unsupported URI scheme \"\(scheme)\": a GS1 Digital Link URI uses http or https."
        case .mixedCaseScheme(let scheme):
            "Mixed-case URI scheme \"\(scheme)\": write http/https in all lower (or all upper) case."
        case .illegalCharacter(let character, let offset):
            "Character \"\(character)\" at offset \(offset) is not allowed there in a URI; it must be percent-encoded."
        case .missingDomain:
            "The URI has no domain name after \"://\"."
        case .invalidDomainCharacter(let character, let domain):
            "The domain \"\(domain)\" contains the character \"\(character)\", which is not allowed in a domain."
        case .missingPath(let uri):
            "\"\(uri)\" has no path after the domain, so it carries no GS1 identification key."
        case .trailingSlash(let path):
            "The path \"\(path)\" ends with \"/\", which a GS1 Digital Link URI must not."
        case .noPrimaryKeyInPath(let path):
            "The path \"\(path)\" does not end with a GS1 primary key and its qualifiers, e.g. /01/{GTIN}."
        case .convenienceAlphaNotPermitted(let alpha):
            "\"/\(alpha)/\" is a convenience alpha, no longer part of GS1 Digital Link URI syntax; use the numeric AI."
        case .invalidPercentEncoding(let component):
            "Invalid percent-encoding in \"\(component)\": \"%\" must be followed by two hex digits encoding UTF-8."
        case .unknownAI(let ai):
            "Unknown AI (\(ai)): it is not in the GS1 Application Identifier dictionary."
        case .emptyValue(let ai):
            "AI (\(ai)) has an empty value."
        case .nullCharacter(let ai):
            "The value of AI (\(ai)) contains a percent-encoded NUL (%00)."
        case .valueTooShort(let ai, let value, let minimumLength):
            "Invalid value \"\(value)\" for AI (\(ai)): too short, at least \(minimumLength) characters are required."
        case .valueTooLong(let ai, let value, let maximumLength):
            "Invalid value \"\(value)\" for AI (\(ai)): too long, at most \(maximumLength) characters are allowed."
        case .invalidCharacter(let ai, let value, let character, let allowed):
            "Invalid value \"\(value)\" for AI (\(ai)): character \"\(character)\" is not allowed, only \(allowed)."
        case .invalidCheckDigit(let ai, let value, let expected):
            "Bad check digit in \"\(value)\" for AI (\(ai)): the check digit should be \(expected)."
        case .duplicateAI(let ai):
            "AI (\(ai)) occurs more than once."
        case .qualifierNotAllowed(let qualifier, let key):
            "AI (\(qualifier)) is not a key qualifier of primary key AI (\(key)), so it cannot be in the path."
        case .qualifiersOutOfOrder(let key, let qualifiers):
            "The qualifiers \(qualifiers.map { "(\($0))" }.joined()) of primary key AI (\(key)) are out of order or mix alternative paths."
        case .belongsInPath(let ai, let key):
            "AI (\(ai)) is a key qualifier of AI (\(key)): it belongs in the path, not the query string."
        case .notADataAttribute(let ai):
            "AI (\(ai)) is not permitted as a GS1 Digital Link data attribute in the query string."
        case .noPrimaryKeyInElements(let ais):
            "None of the AIs \(ais.map { "(\($0))" }.joined()) is a GS1 Digital Link primary key."
        }
    }
}
