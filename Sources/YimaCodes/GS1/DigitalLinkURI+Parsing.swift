extension DigitalLinkURI {

    /// Parses and validates a GS1 Digital Link URI (GS1 Digital Link: URI Syntax 1.x).
    ///
    /// - The scheme must be `http` or `https`, all lower or all upper case; mixed
    ///   case such as `HtTp` is refused, as gs1-syntax-engine and its test vectors do.
    /// - The path is read from the right: the rightmost `/{AI}/{value}` pairs that
    ///   end with a primary key's qualifiers, back to the primary key, are the GS1
    ///   data; anything before it is part of the ``stem``.
    /// - The key and qualifiers must follow an order given by the key's `dlpkey`
    ///   entry in the AI dictionary (e.g. `01` → `22, 10, 21` or `235`).
    /// - Numeric query parameters must be known AIs permitted as data attributes and
    ///   must not be a qualifier that belongs in the path; other parameters are kept
    ///   in ``otherQueryParameters``. The fragment is ignored.
    /// - Values are percent-decoded; `+` is a literal plus in the path but a space in
    ///   the query string. Each value is checked against its AI's format and check digit.
    /// - No AI may occur twice.
    ///
    /// - Throws: a ``DigitalLinkError`` naming the first problem found.
    public static func parse(_ uri: String, options: DigitalLinkParseOptions = .strict) throws(DigitalLinkError) -> DigitalLinkURI {
        guard !uri.isEmpty else { throw .emptyInput }
        return try DigitalLinkParser(options: options).parse(uri)
    }

    /// Checks that `uri` starts with `http(s)://` and a plausible domain; returns
    /// where the path starts (the `/` after the domain), or `endIndex` if nothing follows.
    static func endOfDomain(in uri: String) throws(DigitalLinkError) -> String.Index {
        guard let separator = uri.firstRange(of: "://") else { throw .notAURI(uri) }
        let scheme = uri[..<separator.lowerBound]
        guard ["http", "https", "HTTP", "HTTPS"].contains(scheme) else {
            if ["http", "https"].contains(scheme.lowercased()) { throw .mixedCaseScheme(String(scheme)) }
            throw .unsupportedScheme(String(scheme))
        }
        for (offset, character) in uri.enumerated() where !isURICharacter(character) {
            throw .illegalCharacter(character, offset: offset)
        }
        let domainEnd = uri[separator.upperBound...].firstIndex(of: "/") ?? uri.endIndex
        let domain = uri[separator.upperBound ..< domainEnd]
        guard !domain.isEmpty else { throw .missingDomain }
        if let bad = domain.first(where: badDomainCharacters.contains) {
            throw .invalidDomainCharacter(bad, domain: String(domain))
        }
        return domainEnd
    }

    /// RFC 3986 §2: unreserved, reserved and `%`. Anything else must be percent-encoded.
    private static func isURICharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return uriSymbols.contains(character)
        }
    }

    private static let uriSymbols = Set("-._~:/?#[]@!$&'()*+,;=%")

    /// URI characters that cannot occur in a host name, IP literal or port
    /// (so also rejecting user info and IPv6 zone identifiers, which a DL URI has no use for).
    private static let badDomainCharacters = Set("_~?#@!$&'()*+,;=%")
}

/// One parse of one URI with one set of options.
private struct DigitalLinkParser {
    let options: DigitalLinkParseOptions
    let dictionary = ApplicationIdentifierDictionary.standard

    func parse(_ uri: String) throws(DigitalLinkError) -> DigitalLinkURI {
        let domainEnd = try DigitalLinkURI.endOfDomain(in: uri)
        guard domainEnd < uri.endIndex else { throw .missingPath(uri) }

        var rest = uri[domainEnd...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let questionMark = rest.firstIndex(of: "?")
        let path = rest[..<(questionMark ?? rest.endIndex)]
        let query = questionMark.map { rest[rest.index(after: $0)...] } ?? ""

        // segments[0] is the empty string before the path's leading "/".
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let keyIndex = try primaryKeyIndex(in: segments, path: path)
        let stem = String(uri[..<uri.index(before: segments[keyIndex].startIndex)])

        var pathAIs: [ApplicationIdentifier] = []
        var pathElements: [GS1Element] = []
        for aiIndex in stride(from: keyIndex, to: segments.count, by: 2) {
            guard let ai = pathAI(segments[aiIndex]) else { throw .unknownAI(String(segments[aiIndex])) }
            pathAIs.append(ai)
            pathElements.append(try element(ai, rawValue: segments[aiIndex + 1], inQuery: false))
        }

        var queryAIs: [ApplicationIdentifier] = []
        var queryElements: [GS1Element] = []
        var otherParameters: [DigitalLinkQueryParameter] = []
        for parameter in query.split(separator: "&") {   // empty parameters (&&) are dropped
            guard let equals = parameter.firstIndex(of: "=") else {
                otherParameters.append(DigitalLinkQueryParameter(name: String(parameter), rawValue: nil))
                continue
            }
            let name = String(parameter[..<equals])
            let rawValue = parameter[parameter.index(after: equals)...]
            // Only all-digit names are AIs; anything else (linkType, s, ...) is the application's.
            guard !name.isEmpty, name.allSatisfy({ $0.asciiDigitValue != nil }) else {
                otherParameters.append(DigitalLinkQueryParameter(name: name, rawValue: String(rawValue)))
                continue
            }
            guard let ai = dictionary.lookup(name, permittingUnknown: options.contains(.permitUnknownAIs)) else {
                throw .unknownAI(name)
            }
            queryAIs.append(ai)
            queryElements.append(try element(ai, rawValue: rawValue, inQuery: true))
        }

        try checkKeyQualifierSequence(pathAIs)
        if let duplicate = firstDuplicate((pathElements + queryElements).map(\.ai)) {
            throw .duplicateAI(duplicate)
        }
        for ai in queryAIs {
            try checkDataAttribute(ai, path: pathAIs.map(\.code))
        }

        return DigitalLinkURI(stem: stem, pathElements: pathElements, queryElements: queryElements,
                              otherQueryParameters: otherParameters)
    }

    /// Walks the path backwards over `/AI/value` pairs until it meets a primary key,
    /// so that a stem may itself contain AI-like segments (`/00/faux/00/…`).
    private func primaryKeyIndex(in segments: [Substring], path: Substring) throws(DigitalLinkError) -> Int {
        var aiIndex = segments.count - 2
        while aiIndex >= 1 {
            guard let ai = pathAI(segments[aiIndex]) else { break }
            if ai.isDigitalLinkPrimaryKey { return aiIndex }
            aiIndex -= 2
        }

        // No key: explain the most likely reason.
        if path.count > 1 && path.hasSuffix("/") { throw .trailingSlash(path: String(path)) }
        if aiIndex >= 1 {
            let stopper = segments[aiIndex]
            if DigitalLinkConvenienceAlphas.aiByAlpha[String(stopper)] != nil {
                throw .convenienceAlphaNotPermitted(String(stopper))
            }
            let looksLikeAI = (2...4).contains(stopper.count) && stopper.allSatisfy { $0.asciiDigitValue != nil }
            let keyFurtherLeft = segments[..<aiIndex].contains { dictionary[String($0)]?.isDigitalLinkPrimaryKey == true }
            if looksLikeAI && keyFurtherLeft { throw .unknownAI(String(stopper)) }
        }
        throw .noPrimaryKeyInPath(String(path))
    }

    /// The AI named by a path segment: numeric, or a convenience alpha if permitted.
    private func pathAI(_ segment: Substring) -> ApplicationIdentifier? {
        if options.contains(.permitConvenienceAlphas), segment.first?.asciiDigitValue == nil,
           let code = DigitalLinkConvenienceAlphas.aiByAlpha[String(segment)] {
            return dictionary[code]
        }
        return dictionary.lookup(String(segment), permittingUnknown: options.contains(.permitUnknownAIs))
    }

    private func element(_ ai: ApplicationIdentifier, rawValue: Substring, inQuery: Bool) throws(DigitalLinkError) -> GS1Element {
        guard !rawValue.isEmpty else { throw .emptyValue(ai: ai.code) }
        var value = try PercentEncoding.decodeValue(rawValue, ai: ai.code, plusIsSpace: inQuery)
        // Legacy URIs wrote GTIN-8/12/13 unpadded; a GTIN-14 is the same number with leading zeros.
        if options.contains(.permitZeroSuppressedGTIN), ai.code == "01", [8, 12, 13].contains(value.count) {
            value = String(repeating: "0", count: 14 - value.count) + value
        }
        try ai.validate(value)
        return GS1Element(ai: ai.code, value: value)
    }

    private func checkKeyQualifierSequence(_ pathAIs: [ApplicationIdentifier]) throws(DigitalLinkError) {
        let codes = pathAIs.map(\.code)
        guard !dictionary.isValidPathSequence(codes) else { return }
        let key = codes[0]
        let qualifierPaths = pathAIs[0].digitalLinkQualifierPaths ?? []
        for qualifier in codes.dropFirst() where !qualifierPaths.contains(where: { $0.contains(qualifier) }) {
            throw .qualifierNotAllowed(qualifier: qualifier, key: key)
        }
        if let duplicate = firstDuplicate(codes) { throw .duplicateAI(duplicate) }
        throw .qualifiersOutOfOrder(key: key, qualifiers: Array(codes.dropFirst()))
    }

    /// A query AI must not be a qualifier that fits into the path, and must be
    /// allowed as a data attribute (`?` flag in the dictionary).
    private func checkDataAttribute(_ ai: ApplicationIdentifier, path: [String]) throws(DigitalLinkError) {
        for position in 1 ... path.count {
            var trial = path
            trial.insert(ai.code, at: position)
            if dictionary.isValidPathSequence(trial) { throw .belongsInPath(ai: ai.code, key: path[0]) }
        }
        let permitted = ai.isKnown ? ai.isDigitalLinkDataAttribute : options.contains(.unknownAIsAsDataAttributes)
        guard permitted else { throw .notADataAttribute(ai.code) }
    }

    private func firstDuplicate(_ codes: [String]) -> String? {
        var seen: Set<String> = []
        return codes.first { !seen.insert($0).inserted }
    }
}
