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
        let text = scanned.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
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
        let digits = Array((parameter.rawValue ?? "").utf8)
        guard let versionDigit = digits.first else { throw .badSignatureEncoding("the s parameter is empty") }
        guard versionDigit >= UInt8(ascii: "0"), versionDigit <= UInt8(ascii: "9") else {
            throw .badSignatureEncoding("the s parameter must be decimal digits")
        }
        guard Int(versionDigit - UInt8(ascii: "0")) == formatVersion else {
            throw .unsupportedVersion(String(UnicodeScalar(versionDigit)))
        }
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .badSignatureEncoding("the s parameter must be decimal digits")
        }
        guard digits.count == parameterDigits else {
            throw .badSignatureEncoding("the s parameter has \(digits.count) digits; version \(formatVersion) has \(parameterDigits)")
        }
        let hintDigits = digits[1...keyHintDigits]
        guard let hint = UInt32(String(decoding: hintDigits, as: UTF8.self)) else {
            throw .badSignatureEncoding("key id \(String(decoding: hintDigits, as: UTF8.self)) is out of range")
        }
        guard let signature = DecimalCodec.decode(digits[(1 + keyHintDigits)...],
                                                  byteCount: SignatureAlgorithm.signatureLength) else {
            throw .badSignatureEncoding("the signature value does not fit 64 bytes")
        }
        return UnitCode(stem: link.stem, gtin: gtin, lot: lot, serial: serial, keyHint: hint, signature: signature)
    }
}
