import YimaCodes

/// GS1 identifiers as EPCIS carries them, and their canonical GS1 Digital Link form
/// for the event hash (CBV 2.0 §8.9 rules 17–18; GS1 Digital Link 1.2 §4.11;
/// EPC Tag Data Standard 2.0 §6 for the EPC URIs).
public enum EPCIdentifier {
    public static let stem = "https://id.gs1.org"

    /// The Digital Link URI of a batch (LGTIN): `https://id.gs1.org/01/{gtin}/10/{lot}`.
    public static func lot(gtin: String, lot: String) -> String { "\(stem)/01/\(gtin)/10/\(encode(lot))" }

    /// The Digital Link URI of a unit (SGTIN), with its lot: `…/01/{gtin}/10/{lot}/21/{serial}`.
    public static func unit(gtin: String, lot: String, serial: String) -> String {
        "\(stem)/01/\(gtin)/10/\(encode(lot))/21/\(encode(serial))"
    }

    /// The Digital Link URI of a logistic unit: `https://id.gs1.org/00/{sscc}`.
    public static func container(_ sscc: String) -> String { "\(stem)/00/\(sscc)" }

    /// The GS1 key and its qualifiers in a Digital Link URI on any host, as
    /// (AI, value) pairs, or nil when `uri` is not one.
    public static func elements(ofDigitalLink uri: String) -> [(ai: String, value: String)]? {
        guard uri.hasPrefix("https://") || uri.hasPrefix("http://") else { return nil }
        let afterScheme = uri.drop { $0 != "/" }.dropFirst(2)
        guard let pathStart = afterScheme.firstIndex(of: "/") else { return nil }
        var path = afterScheme[pathStart...]
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        let segments = path.split(separator: "/").map(String.init)
        guard let keyIndex = segments.firstIndex(where: { primaryKeys.contains($0) }) else { return nil }
        let rest = Array(segments[keyIndex...])
        guard rest.count % 2 == 0 else { return nil }
        return stride(from: 0, to: rest.count, by: 2).map { (rest[$0], decode(rest[$0 + 1]) ?? rest[$0 + 1]) }
    }

    static let primaryKeys: Set<String> = ["00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006",
                                           "8010", "8017", "8018"]

    /// Rule 18: the constrained canonical form (id.gs1.org, no query, only the most
    /// fine-grained level of identification); rule 17: EPC URIs converted first.
    public static func canonicalDigitalLink(_ text: String) -> String? {
        if text.hasPrefix("urn:epc:") { return fromEPCURI(text) }
        guard let elements = elements(ofDigitalLink: text), let key = elements.first else { return nil }
        let qualifiers = Dictionary(elements.dropFirst().map { ($0.ai, $0.value) }, uniquingKeysWith: { first, _ in first })
        var out = "\(stem)/\(key.ai)/\(encode(key.value))"
        let finest: [String] = switch key.ai {
        case "01": ["21", "235", "10"]
        case "414": ["254"]
        case "8006": ["21", "10"]
        case "8010": ["8011"]
        default: []
        }
        if let qualifier = finest.first(where: { qualifiers[$0] != nil }) {
            out += "/\(qualifier)/\(encode(qualifiers[qualifier]!))"
        }
        return out
    }

    /// EPC pure-identity, class and pattern URIs for the schemes Yima and GS1's
    /// examples use (sgtin, sscc, sgln, pgln, grai, giai, gdti, gsrn, lgtin, sgtin patterns); nil for the others.
    static func fromEPCURI(_ uri: String) -> String? {
        let parts = uri.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 else { return nil }
        let scheme = parts[2] + ":" + parts[3]
        let fields = parts[4].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func withCheckDigit(_ digits: String) -> String? {
            GS1CheckDigit.compute(forPayload: digits).map { digits + String($0) }
        }
        func gtin(_ prefix: String, _ item: String) -> String? {
            guard let indicator = item.first else { return nil }
            return withCheckDigit(String(indicator) + prefix + item.dropFirst())
        }
        switch (scheme, fields.count) {
        case ("id:sgtin", 3):
            guard let gtin = gtin(fields[0], fields[1]) else { return nil }
            return "\(stem)/01/\(gtin)/21/\(encode(decode(fields[2]) ?? fields[2]))"
        case ("class:lgtin", 3):
            guard let gtin = gtin(fields[0], fields[1]) else { return nil }
            return "\(stem)/01/\(gtin)/10/\(encode(decode(fields[2]) ?? fields[2]))"
        case ("idpat:sgtin", 3):
            guard fields[2] == "*", let gtin = gtin(fields[0], fields[1]) else { return nil }
            return "\(stem)/01/\(gtin)"
        case ("id:sscc", 2):
            guard let extensionDigit = fields[1].first, let sscc = withCheckDigit(String(extensionDigit) + fields[0] + fields[1].dropFirst()) else {
                return nil
            }
            return "\(stem)/00/\(sscc)"
        case ("id:sgln", 3):
            guard let gln = withCheckDigit(fields[0] + fields[1]) else { return nil }
            return fields[2] == "0" ? "\(stem)/414/\(gln)" : "\(stem)/414/\(gln)/254/\(encode(decode(fields[2]) ?? fields[2]))"
        case ("id:grai", 3):
            guard let grai = withCheckDigit("0" + fields[0] + fields[1]) else { return nil }
            return "\(stem)/8003/\(grai)\(encode(decode(fields[2]) ?? fields[2]))"
        case ("id:giai", 2):
            return "\(stem)/8004/\(fields[0])\(encode(decode(fields[1]) ?? fields[1]))"
        case ("id:gdti", 3):
            guard let gdti = withCheckDigit(fields[0] + fields[1]) else { return nil }
            return "\(stem)/253/\(gdti)\(encode(decode(fields[2]) ?? fields[2]))"
        case ("id:gsrn", 2):
            guard let gsrn = withCheckDigit(fields[0] + fields[1]) else { return nil }
            return "\(stem)/8018/\(gsrn)"
        case ("id:pgln", 2):
            guard let gln = withCheckDigit(fields[0] + fields[1]) else { return nil }
            return "\(stem)/417/\(gln)"
        default:
            return nil
        }
    }

    /// Percent-encoding of a Digital Link path value (GS1 Digital Link 1.2 Table 7-1).
    static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                out.append(character)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func decode(_ value: String) -> String? { value.removingPercentEncodingBytes() }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    fileprivate func removingPercentEncodingBytes() -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard iterator.count >= 2, let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
