/// One GS1 Application Identifier (AI) as described by a line of the GS1 Barcode
/// Syntax Dictionary, e.g.
///
///     01  *?  N14,csum,gcppos2  ex=255,37 dlpkey=22,10,21|235  # GTIN
///
/// What is modelled: the value's components (character set, length, linters), the
/// `*` (predefined length, no FNC1 separator) and `?` (permitted as a GS1 Digital
/// Link data attribute) flags, and the `dlpkey` key-qualifier paths
/// (GS1 Digital Link: URI Syntax 1.x, primary keys and their key qualifiers).
///
/// Not modelled: the `req=` / `ex=` pairing rules (GS1 General Specifications,
/// mandatory and invalid AI associations). The Digital Link parser of the reference implementation
/// (gs1-syntax-engine) does not apply them while parsing either, and the
/// conformance vectors assume that.
public struct ApplicationIdentifier: Sendable, Hashable {
    /// The AI itself, two to four digits, e.g. `"01"`, `"8004"`.
    public let code: String
    /// The short data title, e.g. `"GTIN"`; `"UNKNOWN"` for an AI not in the dictionary.
    public let title: String
    /// `*` flag: the value has a predefined length, so no FNC1 separator follows it
    /// in an element string (GS1 General Specifications §7.8, concatenation).
    public let hasPredefinedLength: Bool
    /// `?` flag: the AI may appear as a query-string data attribute in a Digital Link URI.
    public let isDigitalLinkDataAttribute: Bool
    /// The value's consecutive components; optional ones come last.
    public let components: [Component]
    /// For a Digital Link primary key, its alternative ordered qualifier lists
    /// (`dlpkey=22,10,21|235` gives `[["22", "10", "21"], ["235"]]`, bare `dlpkey`
    /// gives `[[]]`); `nil` when the AI is not a primary key.
    public let digitalLinkQualifierPaths: [[String]]?
    /// `false` for a placeholder made up for an AI that is not in the dictionary.
    public let isKnown: Bool

    /// One component of an AI value, e.g. `N14,csum` or `[X..17]`.
    public struct Component: Sendable, Hashable {
        public let characterSet: GS1CharacterSet
        public let minimumLength: Int
        public let maximumLength: Int
        /// Written in square brackets: may be absent once the data is used up.
        public let isOptional: Bool
        /// Names of the syntax tests ("linters") applied to this component, e.g. `["csum", "gcppos2"]`.
        /// Only `csum` is enforced by ``ApplicationIdentifier/validate(_:)``.
        public let linters: [String]

        public init(characterSet: GS1CharacterSet, minimumLength: Int, maximumLength: Int,
                    isOptional: Bool = false, linters: [String] = []) {
            self.characterSet = characterSet
            self.minimumLength = minimumLength
            self.maximumLength = maximumLength
            self.isOptional = isOptional
            self.linters = linters
        }

        /// The component ends with a GS1 mod-10 check digit (GS1 General Specifications §7.9.1).
        public var hasCheckDigit: Bool { linters.contains("csum") }
    }

    public init(code: String, title: String, hasPredefinedLength: Bool, isDigitalLinkDataAttribute: Bool,
                components: [Component], digitalLinkQualifierPaths: [[String]]? = nil, isKnown: Bool = true) {
        self.code = code
        self.title = title
        self.hasPredefinedLength = hasPredefinedLength
        self.isDigitalLinkDataAttribute = isDigitalLinkDataAttribute
        self.components = components
        self.digitalLinkQualifierPaths = digitalLinkQualifierPaths
        self.isKnown = isKnown
    }

    /// A stand-in for an AI missing from the dictionary, treated like the
    /// reference implementation does: `X..90`, FNC1-terminated, not a data attribute.
    public static func unknown(_ code: String) -> ApplicationIdentifier {
        ApplicationIdentifier(code: code, title: "UNKNOWN", hasPredefinedLength: false,
                              isDigitalLinkDataAttribute: false,
                              components: [Component(characterSet: .cset82, minimumLength: 1, maximumLength: 90)],
                              isKnown: false)
    }

    /// An element string needs an FNC1 after this AI's value when more data follows.
    public var requiresFNC1Separator: Bool { !hasPredefinedLength }

    /// Whether this AI can start the path of a Digital Link URI.
    public var isDigitalLinkPrimaryKey: Bool { digitalLinkQualifierPaths != nil }

    /// The shortest acceptable value: all mandatory components at their minimum.
    public var minimumLength: Int {
        components.reduce(0) { $0 + ($1.isOptional ? 0 : $1.minimumLength) }
    }

    /// The longest acceptable value: all components at their maximum.
    public var maximumLength: Int {
        components.reduce(0) { $0 + $1.maximumLength }
    }

    /// Checks `value` against this AI's format: overall length, then each component's
    /// length, character set and check digit (`csum`). Other linters (dates,
    /// ISO codes, `csumalpha`, GCP position, ...) are not applied.
    public func validate(_ value: String) throws(DigitalLinkError) {
        let characters = Array(value)
        guard characters.count >= minimumLength else {
            throw .valueTooShort(ai: code, value: value, minimumLength: minimumLength)
        }
        guard characters.count <= maximumLength else {
            throw .valueTooLong(ai: code, value: value, maximumLength: maximumLength)
        }

        var start = 0
        for component in components {
            if start == characters.count && component.isOptional { break }
            let length = min(characters.count - start, component.maximumLength)
            guard length >= component.minimumLength else {
                // Only reachable when an optional fixed-length component is cut short.
                throw .valueTooShort(ai: code, value: value, minimumLength: start + component.minimumLength)
            }
            let part = String(characters[start ..< start + length])
            if let bad = component.characterSet.firstInvalidCharacter(in: part) {
                throw .invalidCharacter(ai: code, value: value, character: bad, allowed: component.characterSet)
            }
            if component.hasCheckDigit, !GS1CheckDigit.isValid(part) {
                throw .invalidCheckDigit(ai: code, value: value, expected: GS1CheckDigit.expected(for: part) ?? 0)
            }
            start += length
        }
        guard start == characters.count else {
            throw .valueTooLong(ai: code, value: value, maximumLength: start)
        }
    }
}
