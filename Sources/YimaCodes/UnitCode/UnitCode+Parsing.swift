import Foundation
import YimaCrypto

extension UnitCode {
    /// Parses a scanned string into a unit code, or says precisely why it is not one.
    ///
    /// The string must be a GS1 Digital Link URI (checked by `DigitalLinkURI`, with
    /// its check digits) whose path is exactly `/01/GTIN/10/LOT/21/SERIAL` and whose
    /// query has one `s` parameter of `parameterDigits` digits starting with a
    /// known format version. Surrounding whitespace (a scanner's trailing newline) is
    /// ignored; nothing else is normalised, so what verifies is what was printed.
    public static func parse(_ scanned: String) throws(UnitCodeError) -> UnitCode {
        if let code = parseCanonical(scanned) { return code }
        let text = scanned.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        if let code = parseCanonical(text) { return code }
        guard let schemeEnd = text.range(of: "://") else {
            throw .notAURL("no http:// or https:// scheme in \"\(text.prefix(40))\"")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .notAURL("scheme \"\(text[..<schemeEnd.lowerBound])\" is not http or https")
        }

        let link: DigitalLinkURI
        do {
            link = try DigitalLinkURI.parse(text)
        } catch {
            if case .invalidCheckDigit(let ai, let value, let expected) = error, ai == "01" {
                throw .badCheckDigit(gtin: value, expected: expected)
            }
            throw .notDigitalLink(error.description)
        }

        for (index, ai) in ["01", "10", "21"].enumerated() {
            guard link.pathElements.contains(where: { $0.ai == ai }) else { throw .missingElement(ai: ai) }
            guard index < link.pathElements.count, link.pathElements[index].ai == ai else {
                throw .unexpectedElement(ai: link.pathElements[min(index, link.pathElements.count - 1)].ai)
            }
        }
        if let extra = (link.pathElements.dropFirst(3) + link.queryElements).first {
            throw .unexpectedElement(ai: extra.ai)
        }
        let gtin = link.pathElements[0].value
        let lot = link.pathElements[1].value
        let serial = link.pathElements[2].value
        guard gtin.utf8.count == 14 else { throw .invalidValue(ai: "01", value: gtin) }
        guard UnitCodeAlphabet.isValid(lot) else { throw .invalidValue(ai: "10", value: lot) }
        guard UnitCodeAlphabet.isValid(serial) else { throw .invalidValue(ai: "21", value: serial) }

        let signatures = link.otherQueryParameters.filter { $0.name == signatureParameter }
        guard let parameter = signatures.first else { throw .missingSignature }
        guard signatures.count == 1 else { throw .badSignatureEncoding("the s parameter appears \(signatures.count) times") }
        let (hint, signature) = try decodeSignatureParameter(Array((parameter.rawValue ?? "").utf8)[...])
        return UnitCode(stem: link.stem, gtin: gtin, lot: lot, serial: serial, keyHint: hint, signature: signature)
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

    /// The fast path for a code exactly as Yima prints it, with no path prefix and no
    /// other query parameters: one pass over the bytes instead of the general GS1
    /// Digital Link parser, which costs more than verifying the signature does.
    /// Returns nil for anything else, which then takes the general path, so both
    /// paths accept the same codes and only the general one reports errors.
    static func parseCanonical(_ text: String) -> UnitCode? {
        var text = text
        return text.withUTF8 { bytes -> UnitCode? in
            var cursor = 0
            func take(_ literal: StaticString) -> Bool {
                let count = literal.utf8CodeUnitCount
                guard cursor + count <= bytes.count,
                      memcmp(bytes.baseAddress! + cursor, literal.utf8Start, count) == 0 else { return false }
                cursor += count
                return true
            }
            func run(_ allowed: (UInt8) -> Bool, maximum: Int) -> Range<Int>? {
                let start = cursor
                while cursor < bytes.count, cursor - start < maximum, allowed(bytes[cursor]) { cursor += 1 }
                return cursor > start ? start..<cursor : nil
            }
            func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }

            guard take("https://") || take("http://") || take("HTTPS://") || take("HTTP://") else { return nil }
            let stemEnd = bytes[cursor...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
            guard stemEnd > cursor, bytes[cursor..<stemEnd].allSatisfy(isHostByte) else { return nil }
            cursor = stemEnd
            guard take("/01/"), let gtin = run(isDigit, maximum: 14), gtin.count == 14,
                  take("/10/"), let lot = run(isAlphabetByte, maximum: UnitCodeAlphabet.maximumLength),
                  take("/21/"), let serial = run(isAlphabetByte, maximum: UnitCodeAlphabet.maximumLength),
                  take("?s="), bytes.count - cursor == parameterDigits else { return nil }
            let gtinText = string(gtin)
            guard GS1CheckDigit.isValid(gtinText),
                  let (hint, signature) = try? decodeSignatureParameter(Array(bytes[cursor...])[...]) else { return nil }
            return UnitCode(stem: string(0..<stemEnd), gtin: gtinText, lot: string(lot), serial: string(serial),
                            keyHint: hint, signature: signature)
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isAlphabetByte(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "-")
    }
    private static func isHostByte(_ c: UInt8) -> Bool {
        isAlphabetByte(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }
}
