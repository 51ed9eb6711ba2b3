/// A GS1 Digital Link URI (GS1 Digital Link: URI Syntax 1.x): a web address whose
/// path carries a GS1 primary key with its key qualifiers, and whose query string
/// carries further AI data attributes, e.g.
///
///     https://id.gs1.org/01/09506000134352/10/ABC/21/XYZ?17=261231
///     └──── stem ──────┘└ key ───────────┘└ qualifiers ┘└ attributes ┘
///
/// Create one with ``parse(_:options:)`` or from AI data with ``init(elements:stem:)``.
public struct DigitalLinkURI: Sendable, Hashable, CustomStringConvertible {

    /// GS1's canonical stem, used when generating without a stem of one's own.
    public static let canonicalStem = "https://id.gs1.org"

    /// Scheme, domain and any path prefix before the primary key, without a
    /// trailing slash, e.g. `https://example.com/some/prefix`.
    public let stem: String
    /// The AIs of the path in order: the primary key, then its qualifiers.
    public let pathElements: [GS1Element]
    /// The AIs of the query string (data attributes), in the order given.
    public let queryElements: [GS1Element]
    /// The query parameters that are not AIs, in the order given.
    public let otherQueryParameters: [DigitalLinkQueryParameter]

    init(stem: String, pathElements: [GS1Element], queryElements: [GS1Element],
         otherQueryParameters: [DigitalLinkQueryParameter]) {
        self.stem = stem
        self.pathElements = pathElements
        self.queryElements = queryElements
        self.otherQueryParameters = otherQueryParameters
    }

    /// The primary key, e.g. `(01)09506000134352`.
    public var primaryKey: GS1Element { pathElements[0] }

    /// The key qualifiers that follow the primary key in the path.
    public var qualifiers: ArraySlice<GS1Element> { pathElements.dropFirst() }

    /// All AI data: path elements, then query elements.
    public var elements: [GS1Element] { pathElements + queryElements }

    /// The value of `ai`, from path or query, e.g. `self["10"]` for the batch/lot.
    public subscript(ai: String) -> String? {
        elements.first { $0.ai == ai }?.value
    }

    /// The AI data as an element string in `^` notation (`^` = FNC1), e.g.
    /// `^010950600013435210ABC^21XYZ`.
    public var elementString: String { elements.elementString() }

    /// The AI data in bracketed form, e.g. `(01)09506000134352(10)ABC(21)XYZ`.
    public var bracketedElementString: String { elements.bracketedElementString }

    /// The URI in canonical form: stem, `/AI/value` path pairs, then the AI query
    /// parameters with predefined-length AIs first (each group in the given order),
    /// every value percent-encoded except for RFC 3986 unreserved characters.
    /// No fragment.
    ///
    /// - Parameter includingOtherParameters: append the non-AI query parameters
    ///   (``otherQueryParameters``) verbatim, after the AIs.
    public func uriString(includingOtherParameters: Bool = false) -> String {
        var uri = stem
        for element in pathElements {
            uri += "/" + element.ai + "/" + PercentEncoding.encode(element.value, inQuery: false)
        }
        let dictionary = ApplicationIdentifierDictionary.standard
        let isPredefined = { (element: GS1Element) in dictionary[element.ai]?.hasPredefinedLength ?? false }
        var query = (queryElements.filter(isPredefined) + queryElements.filter { !isPredefined($0) })
            .map { $0.ai + "=" + PercentEncoding.encode($0.value, inQuery: true) }
        if includingOtherParameters {
            query += otherQueryParameters.map(\.queryComponent)
        }
        if !query.isEmpty {
            uri += "?" + query.joined(separator: "&")
        }
        return uri
    }

    /// The canonical URI, ``uriString(includingOtherParameters:)`` without other parameters.
    public var description: String { uriString() }
}
