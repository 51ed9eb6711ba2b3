import Foundation
import YimaCrypto

extension UnitCode {
    /// Parses a scanned string into a unit code, or says precisely why it is not one.
    ///
    /// Accepts exactly the grammar of docs/code-format.md §Grammar, and nothing a
    /// URL library would normalise first: no percent-encoding, no user information,
    /// no fragment, no query parameter but `s`, no dot segments. So what verifies is
    /// byte for byte what was printed (except the host's case, which is not signed),
    /// and a verifier written from the document alone gives the same verdict on
    /// every input (docs/test-vectors/code-v1/spellings.json).
    ///
    /// The checks run in the documented order and the first that fails is thrown:
    /// surrounding blanks, scheme, authority, fragment, path structure, GTIN, lot,
    /// serial, query.
    public static func parse(_ scanned: String) throws(UnitCodeError) -> UnitCode {
        var text = scanned
        let result = text.withUTF8 { bytes in
            Result { () throws(UnitCodeError) -> UnitCode in try parse(bytes: bytes) }
        }
        return try result.get()
    }

    private static func parse(bytes all: UnsafeBufferPointer<UInt8>) throws(UnitCodeError) -> UnitCode {
        // Scanners end a read with CR, LF or a tab; only these ASCII blanks are trimmed.
        var start = 0
        var end = all.count
        while start < end, isBlank(all[start]) { start += 1 }
        while end > start, isBlank(all[end - 1]) { end -= 1 }
        guard start < end else { throw .empty }
        let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        func quoted(_ range: Range<Int>) -> String { "\"" + String(text(range).prefix(40)) + "\"" }

        // Scheme: http or https, all lower case or all upper case.
        guard let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, from: 0, to: bytes.count),
              colon + 3 <= bytes.count, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else {
            throw .notAURL("no http:// or https:// scheme in \(quoted(0..<bytes.count))")
        }
        let scheme = text(0..<colon)
        guard ["https", "http", "HTTPS", "HTTP"].contains(scheme) else {
            if ["https", "http"].contains(scheme.lowercased()) {
                throw .notAURL("scheme \"\(scheme)\" must be all lower case or all upper case")
            }
            throw .notAURL("scheme \"\(scheme.prefix(40))\" is not http or https")
        }

        // Authority: host [":" port], up to the first '/', '?' or '#'.
        let authorityStart = colon + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !isDelimiter(bytes[authorityEnd]) { authorityEnd += 1 }
        if let at = firstIndex(of: UInt8(ascii: "@"), in: bytes, from: authorityStart, to: authorityEnd) {
            throw .unexpectedURLPart("user information \(quoted(authorityStart..<(at + 1)))")
        }
        let portColon = firstIndex(of: UInt8(ascii: ":"), in: bytes, from: authorityStart, to: authorityEnd)
        let hostEnd = portColon ?? authorityEnd
        guard hostEnd > authorityStart else { throw .notAURL("no host after \"\(scheme)://\"") }
        guard hostEnd - authorityStart <= maximumHostLength,
              bytes[authorityStart..<hostEnd].allSatisfy(isHostByte) else {
            throw .notAURL("host \(quoted(authorityStart..<hostEnd)) may use only letters, digits, '-' and '.'")
        }
        if let portColon {
            let port = (portColon + 1)..<authorityEnd
            guard (1...5).contains(port.count), bytes[port].allSatisfy(isDigit) else {
                throw .notAURL("port \(quoted(port)) is not 1 to 5 digits")
            }
        }

        // Nothing after '#' reaches a resolver, so nothing after it can be signed.
        let fragment = firstIndex(of: UInt8(ascii: "#"), in: bytes, from: authorityEnd, to: bytes.count)
        if let fragment { throw .unexpectedURLPart("fragment \(quoted(fragment..<bytes.count))") }

        // Path: [prefix] /01/GTIN/10/LOT/21/SERIAL, the prefix ending at the first segment "01".
        let queryMark = firstIndex(of: UInt8(ascii: "?"), in: bytes, from: authorityEnd, to: bytes.count)
        let pathEnd = queryMark ?? bytes.count
        var segments: [Range<Int>] = []
        var cursor = authorityEnd
        while cursor < pathEnd {   // bytes[cursor] is a '/'
            let segmentStart = cursor + 1
            let segmentEnd = firstIndex(of: UInt8(ascii: "/"), in: bytes, from: segmentStart, to: pathEnd) ?? pathEnd
            segments.append(segmentStart..<segmentEnd)
            cursor = segmentEnd
        }
        guard let gtinKey = segments.firstIndex(where: { isLiteral(bytes[$0], "01") }) else {
            throw .notDigitalLink("the path has no /01/ segment (the GTIN), so it is not a GS1 Digital Link URI for a trade item")
        }
        for segment in segments[..<gtinKey] {
            guard !segment.isEmpty, bytes[segment].allSatisfy(isPrefixByte),
                  !isLiteral(bytes[segment], "."), !isLiteral(bytes[segment], "..") else {
                throw .unexpectedURLPart("path prefix segment \(quoted(segment)) (allowed: letters, digits, '-', '.', '_', '~'; not empty, '.' or '..')")
            }
        }
        let elements = segments[(gtinKey + 1)...]
        if elements.contains(where: \.isEmpty) {
            throw .notDigitalLink("the path has an empty segment (\"//\" or a final \"/\")")
        }
        guard let gtinRange = elements.first else { throw .notDigitalLink("element (01) has no value") }
        var qualifiers: [(ai: String, value: Range<Int>)] = []
        var index = elements.startIndex + 1
        while index < elements.endIndex {
            let key = elements[index]
            guard bytes[key].allSatisfy(isDigit), (2...4).contains(key.count) else {
                throw .notDigitalLink("path segment \(quoted(key)) is not a GS1 application identifier")
            }
            let ai = text(key)
            guard ai == "10" || ai == "21" else { throw .unexpectedElement(ai: ai) }
            guard index + 1 < elements.endIndex else { throw .notDigitalLink("element (\(ai)) has no value") }
            qualifiers.append((ai, elements[index + 1]))
            index += 2
        }
        guard qualifiers.contains(where: { $0.ai == "10" }) else { throw .missingElement(ai: "10") }
        guard qualifiers.contains(where: { $0.ai == "21" }) else { throw .missingElement(ai: "21") }
        guard qualifiers.count == 2, qualifiers[0].ai == "10" else {
            throw .notDigitalLink("the path must be /01/…/10/…/21/…, each element once and in this order")
        }

        let gtin = text(gtinRange)
        guard gtinRange.count == 14, bytes[gtinRange].allSatisfy(isDigit) else { throw .invalidValue(ai: "01", value: gtin) }
        guard GS1CheckDigit.isValid(gtin) else {
            throw .badCheckDigit(gtin: gtin, expected: GS1CheckDigit.expected(for: gtin) ?? 0)
        }
        let lot = text(qualifiers[0].value)
        guard UnitCodeAlphabet.isValid(lot) else { throw .invalidValue(ai: "10", value: lot) }
        let serial = text(qualifiers[1].value)
        guard UnitCodeAlphabet.isValid(serial) else { throw .invalidValue(ai: "21", value: serial) }

        // Query: exactly one parameter, s.
        guard let queryMark else { throw .missingSignature }
        var parameters: [(name: Range<Int>, value: Range<Int>?)] = []
        cursor = queryMark + 1
        while cursor <= bytes.count {
            let parameterEnd = firstIndex(of: UInt8(ascii: "&"), in: bytes, from: cursor, to: bytes.count) ?? bytes.count
            let equals = firstIndex(of: UInt8(ascii: "="), in: bytes, from: cursor, to: parameterEnd)
            parameters.append((cursor..<(equals ?? parameterEnd), equals.map { ($0 + 1)..<parameterEnd }))
            cursor = parameterEnd + 1
        }
        let signatures = parameters.filter { isLiteral(bytes[$0.name], signatureParameter) }
        guard let signature = signatures.first else { throw .missingSignature }
        guard signatures.count == 1 else { throw .badSignatureEncoding("the s parameter appears \(signatures.count) times") }
        if let other = parameters.first(where: { !isLiteral(bytes[$0.name], signatureParameter) }) {
            if !other.name.isEmpty, bytes[other.name].allSatisfy(isDigit) { throw .unexpectedElement(ai: text(other.name)) }
            throw .unexpectedURLPart(other.name.isEmpty ? "an empty query parameter" : "query parameter \(quoted(other.name))")
        }
        guard let digits = signature.value else { throw .badSignatureEncoding("the s parameter is empty") }
        let (hint, signatureBytes) = try decodeSignatureParameter(Array(bytes[digits])[...])
        return UnitCode(stem: text(0..<segments[gtinKey].lowerBound - 1), gtin: gtin, lot: lot, serial: serial,
                        keyHint: hint, signature: signatureBytes)
    }

    /// Reads the digits of the `s` parameter: version, short key id, signature.
    static func decodeSignatureParameter(_ digits: ArraySlice<UInt8>) throws(UnitCodeError) -> (UInt32, [UInt8]) {
        guard let versionDigit = digits.first else { throw .badSignatureEncoding("the s parameter is empty") }
        guard isDigit(versionDigit) else { throw .badSignatureEncoding("the s parameter must be decimal digits") }
        guard Int(versionDigit - UInt8(ascii: "0")) == formatVersion else {
            throw .unsupportedVersion(String(UnicodeScalar(versionDigit)))
        }
        guard digits.allSatisfy(isDigit) else { throw .badSignatureEncoding("the s parameter must be decimal digits") }
        guard digits.count == parameterDigits else {
            throw .badSignatureEncoding("the s parameter has \(digits.count) digits; version \(formatVersion) has \(parameterDigits)")
        }
        let start = digits.startIndex
        let hintDigits = digits[(start + 1)...(start + keyHintDigits)]
        let hint = hintDigits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
        guard hint <= UInt64(UInt32.max) else {
            throw .badSignatureEncoding("key id \(String(decoding: hintDigits, as: UTF8.self)) is out of range")
        }
        guard let signature = DecimalCodec.decode(digits[(start + 1 + keyHintDigits)...],
                                                  byteCount: SignatureAlgorithm.signatureLength) else {
            throw .badSignatureEncoding("the signature value does not fit 64 bytes")
        }
        return (UInt32(hint), signature)
    }

    /// The longest host name DNS allows (RFC 1035 §2.3.4: 255 octets on the wire).
    static let maximumHostLength = 253

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = from
        while index < to {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func isLiteral(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ literal: String) -> Bool {
        bytes.elementsEqual(literal.utf8)
    }

    private static func isBlank(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n")
    }
    private static func isDelimiter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#")
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
    }
    static func isHostByte(_ c: UInt8) -> Bool {
        isLetter(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }
    static func isPrefixByte(_ c: UInt8) -> Bool {
        isHostByte(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
    }
}
