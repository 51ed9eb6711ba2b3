extension DigitalLinkURI {

    /// Builds the Digital Link URI for some AI data (GS1 Digital Link: URI Syntax 1.x,
    /// canonical form), e.g. `(21)XYZ(01)12312312312333(10)ABC123(99)XYZ` with stem
    /// `https://example.com` gives `https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ`.
    ///
    /// - The first element whose AI is a primary key goes first in the path.
    /// - Of the key's alternative qualifier paths (`dlpkey` in the AI dictionary),
    ///   the one with the most qualifiers present is used, the first on a tie; those
    ///   qualifiers follow the key in the path, in the dictionary's order.
    /// - Everything else becomes a query parameter and must be a permitted data attribute.
    /// - Repeats of an element with the same value are dropped.
    ///
    /// - Parameters:
    ///   - elements: AI data in any order; every value is checked against its AI's format.
    ///   - stem: `http(s)://domain` with an optional path prefix; a trailing `/` is trimmed.
    /// - Throws: ``DigitalLinkError``, e.g. ``DigitalLinkError/noPrimaryKeyInElements(_:)``.
    public init(elements: [GS1Element], stem: String = DigitalLinkURI.canonicalStem) throws(DigitalLinkError) {
        let dictionary = ApplicationIdentifierDictionary.standard

        var unique: [GS1Element] = []
        var identifiers: [String: ApplicationIdentifier] = [:]
        for element in elements {
            guard let ai = dictionary[element.ai] else { throw .unknownAI(element.ai) }
            try ai.validate(element.value)
            if let earlier = unique.first(where: { $0.ai == element.ai }) {
                guard earlier.value == element.value else { throw .duplicateAI(element.ai) }
                continue
            }
            unique.append(element)
            identifiers[element.ai] = ai
        }

        guard let key = unique.first(where: { identifiers[$0.ai]?.isDigitalLinkPrimaryKey == true }),
              let qualifierPaths = identifiers[key.ai]?.digitalLinkQualifierPaths else {
            throw .noPrimaryKeyInElements(unique.map(\.ai))
        }

        let present = Set(unique.map(\.ai))
        var qualifiers: [String] = []
        for path in qualifierPaths {
            let available = path.filter(present.contains)
            if available.count > qualifiers.count { qualifiers = available }
        }
        let pathAIs = [key.ai] + qualifiers
        let pathElements = pathAIs.compactMap { ai in unique.first { $0.ai == ai } }

        let queryElements = unique.filter { !pathAIs.contains($0.ai) }
        for element in queryElements where identifiers[element.ai]?.isDigitalLinkDataAttribute != true {
            throw .notADataAttribute(element.ai)
        }

        self.init(stem: try Self.normalizedStem(stem), pathElements: pathElements,
                  queryElements: queryElements, otherQueryParameters: [])
    }

    /// Validates a stem's scheme and domain and drops a trailing `/`.
    private static func normalizedStem(_ stem: String) throws(DigitalLinkError) -> String {
        guard !stem.isEmpty else { throw .emptyInput }
        let domainEnd = try endOfDomain(in: stem)
        // A stem is scheme, domain and path only.
        if let bad = stem[domainEnd...].firstIndex(where: { $0 == "?" || $0 == "#" }) {
            throw .illegalCharacter(stem[bad], offset: stem.distance(from: stem.startIndex, to: bad))
        }
        return stem.hasSuffix("/") ? String(stem.dropLast()) : stem
    }
}

extension DigitalLinkURI {
    /// The same GS1 data under another stem, e.g. to turn a brand's URI into the
    /// canonical `https://id.gs1.org/…` one. Non-AI query parameters are kept.
    public func replacingStem(with stem: String = DigitalLinkURI.canonicalStem) throws(DigitalLinkError) -> DigitalLinkURI {
        DigitalLinkURI(stem: try Self.normalizedStem(stem), pathElements: pathElements,
                       queryElements: queryElements, otherQueryParameters: otherQueryParameters)
    }
}
