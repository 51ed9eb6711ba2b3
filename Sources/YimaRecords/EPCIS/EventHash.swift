import YimaCrypto

/// The EPCIS event hash ID of CBV 2.0 §8.9 ("EPCIS Event Hash ID"): an event's
/// data elements, read in the canonical property order and normalised, form a
/// pre-hash string whose SHA-256 becomes `ni:///sha-256;<hex>?ver=CBV2.0`
/// (RFC 6920). The rules are numbered as in the standard's list; see
/// docs/epcis.md §Event hash for a worked vector.
public enum EventHash {
    public static let prefix = "ni:///sha-256;"
    public static let suffix = "?ver=CBV2.0"

    /// The hash ID of `event` (an EPCIS event object). `prefixes` are the CURIE
    /// prefixes the document's `@context` declares (rules 15, 19–21).
    public static func id(of event: EPCISJSON, prefixes: [String: String] = [:]) -> String {
        id(ofPreHash: preHashString(of: event, prefixes: prefixes))
    }

    public static func id(ofPreHash preHash: String) -> String {
        prefix + Hex.encode(Digest.sha256(Array(preHash.utf8))) + suffix
    }

    /// Whether `text` has the shape of a hash ID: 64 lowercase hex digits in the frame.
    public static func isHashID(_ text: String) -> Bool {
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else { return false }
        let hex = text.dropFirst(prefix.count).dropLast(suffix.count)
        return hex.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The pre-hash string (rules 1–21), before hashing.
    public static func preHashString(of event: EPCISJSON, prefixes: [String: String] = [:]) -> String {
        let members = event.members ?? []
        let normaliser = Normaliser(prefixes: standardPrefixes.merging(prefixes) { _, declared in declared })
        var out = "eventType=" + (event["type"]?.string ?? "")
        out += normaliser.ordered(members, canonicalOrder)
        // Rules 19 and 20: ILMD and user extensions, after the standard fields, sorted.
        let known = Set(canonicalOrder.map(\.name)).union(excluded)
        out += normaliser.generic(members.filter { !known.contains($0.key) })
        return out
    }

    /// Elements that are not part of the hash: the event's own identity and record
    /// time, and an error declaration (added to an event later without changing it).
    static let excluded: Set<String> = ["type", "eventID", "recordTime", "errorDeclaration", "@context"]

    /// The CURIE prefixes EPCIS 2.0's context defines (rule 15).
    static let standardPrefixes = ["gs1": "https://gs1.org/voc/", "cbv": "https://ref.gs1.org/cbv/",
                                   "epcis": "https://ref.gs1.org/epcis/"]

    /// How a field's value is read: plain, a time (rules 8–9), a CBV term of a
    /// vocabulary (rule 16), or a nested structure in its own order.
    indirect enum Field: Sendable {
        case plain
        case time
        case vocabulary(String)
        case list(child: String, Field)
        /// A list whose elements are written one after another under the field's own name, with no list header.
        case repeated(Field)
        case structure([Property])
        case typedList(child: String, typeVocabulary: String)
    }

    struct Property: Sendable {
        let name: String
        let field: Field
        init(_ name: String, _ field: Field = .plain) {
            self.name = name
            self.field = field
        }
    }

    static let quantityElement = Field.structure([Property("epcClass"), Property("quantity"), Property("uom")])

    /// CBV 2.0 §8.9.2, the canonical property order.
    static let canonicalOrder: [Property] = [
        Property("eventTime", .time), Property("eventTimeZoneOffset"), Property("certificationInfo"),
        Property("parentID"), Property("epcList", .list(child: "epc", .plain)),
        Property("inputEPCList", .list(child: "epc", .plain)), Property("childEPCs", .list(child: "epc", .plain)),
        Property("quantityList", .list(child: "quantityElement", quantityElement)),
        Property("childQuantityList", .list(child: "quantityElement", quantityElement)),
        Property("inputQuantityList", .list(child: "quantityElement", quantityElement)),
        Property("outputEPCList", .list(child: "epc", .plain)),
        Property("outputQuantityList", .list(child: "quantityElement", quantityElement)),
        Property("action"), Property("transformationID"),
        Property("bizStep", .vocabulary("BizStep-")), Property("disposition", .vocabulary("Disp-")),
        Property("persistentDisposition", .structure([Property("set", .vocabulary("Disp-")), Property("unset", .vocabulary("Disp-"))])),
        Property("readPoint", .structure([Property("id")])), Property("bizLocation", .structure([Property("id")])),
        Property("bizTransactionList", .typedList(child: "bizTransaction", typeVocabulary: "BTT-")),
        Property("sourceList", .typedList(child: "source", typeVocabulary: "SDT-")),
        Property("destinationList", .typedList(child: "destination", typeVocabulary: "SDT-")),
        Property("sensorElementList", .list(child: "sensorElement", .structure([
            Property("sensorMetadata", .structure([
                Property("time", .time), Property("startTime", .time), Property("endTime", .time), Property("deviceID"),
                Property("deviceMetadata"), Property("rawData"), Property("dataProcessingMethod"), Property("bizRules")])),
            Property("sensorReport", .repeated(.structure([
                Property("type", .vocabulary("gs1:")), Property("exception", .vocabulary("gs1:")), Property("deviceID"),
                Property("deviceMetadata"), Property("rawData"), Property("dataProcessingMethod"), Property("time", .time),
                Property("microorganism"), Property("chemicalSubstance"), Property("value"), Property("component", .vocabulary("Comp-")),
                Property("stringValue"), Property("booleanValue"), Property("hexBinaryValue"), Property("uriValue"),
                Property("minValue"), Property("maxValue"), Property("meanValue"), Property("sDev"), Property("percRank"),
                Property("percValue"), Property("uom"), Property("coordinateReferenceSystem")]))),
        ]))),
    ]

    struct Normaliser {
        let prefixes: [String: String]

        /// The standard fields in `order`; a structure's other members (its
        /// extensions, rule 21) follow its own fields.
        func ordered(_ members: [EPCISJSON.Member], _ order: [Property]) -> String {
            var out = ""
            for property in order {
                for member in members where member.key == property.name {
                    out += element(property.name, member.value, property.field)
                }
            }
            return out
        }

        func element(_ name: String, _ value: EPCISJSON, _ field: Field) -> String {
            switch field {
            case .plain, .time, .vocabulary:
                if case .array(let elements) = value {  // e.g. certificationInfo as a list
                    return elements.map { element(name, $0, field) }.sorted(by: utf8Less).joined()
                }
                guard let text = scalar(value) else { return "" }
                let normalised = normalise(text, field)
                return normalised.isEmpty ? "" : name + "=" + normalised
            case .repeated(let elementField):
                return (value.array ?? [value]).map { element(name, $0, elementField) }.sorted(by: utf8Less).joined()
            case .list(let child, let childField):
                let elements = value.array ?? [value]
                let parts = elements.map { element(child, $0, childField) }.filter { !$0.isEmpty }.sorted(by: utf8Less)
                return parts.isEmpty ? "" : name + parts.joined()
            case .structure(let order):
                guard let members = value.members else { return element(name, value, .plain) }
                let known = Set(order.map(\.name))
                let body = ordered(members, order) + generic(members.filter { !known.contains($0.key) })
                return body.isEmpty ? "" : name + body
            case .typedList(let child, let typeVocabulary):
                let parts = (value.array ?? []).compactMap { entry -> String? in
                    guard let identifier = entry[child].flatMap(scalar) else { return nil }
                    var text = child + "=" + normalise(identifier, .plain)
                    if let type = entry["type"].flatMap(scalar) { text += "type=" + normalise(type, .vocabulary(typeVocabulary)) }
                    return text
                }.sorted(by: utf8Less)
                return parts.isEmpty ? "" : name + parts.joined()
            }
        }

        /// Members outside the canonical order (ILMD, user extensions): each as
        /// `{namespace}local=value` followed by its children, all sorted (rules 19–20).
        func generic(_ members: [EPCISJSON.Member]) -> String {
            members.flatMap { member -> [String] in
                let name = expandKey(member.key)
                if case .array(let elements) = member.value {
                    return elements.map { genericElement(name, $0) }
                }
                return [genericElement(name, member.value)]
            }.sorted(by: utf8Less).joined()
        }

        func genericElement(_ name: String, _ value: EPCISJSON) -> String {
            if let members = value.members { return name + generic(members) }
            guard let text = scalar(value) else { return name }
            let normalised = normalise(text, .plain)
            return normalised.isEmpty ? name : name + "=" + normalised
        }

        func scalar(_ value: EPCISJSON) -> String? {
            switch value {
            case .string(let text): text
            case .number(let literal): literal
            case .bool(let flag): flag ? "true" : "false"
            case .null, .object, .array: nil
            }
        }

        /// A member name as `{namespace}local` when its prefix is declared (rule 19–20).
        func expandKey(_ key: String) -> String {
            guard let colon = key.firstIndex(of: ":"), let namespace = prefixes[String(key[..<colon])] else { return key }
            return "{" + namespace + "}" + key[key.index(after: colon)...]
        }

        func normalise(_ raw: String, _ field: Field) -> String {
            var text = raw.trimmingASCIIWhitespace()  // rule 5
            switch field {
            case .time:
                return EventHash.utcMilliseconds(text) ?? text  // rules 8–9
            case .vocabulary(let vocabulary) where !text.contains(":"):  // rule 16: a bare CBV term
                text = vocabulary == "gs1:" ? "https://gs1.org/voc/" + text : "https://ref.gs1.org/cbv/" + vocabulary + text
                return text
            default:
                break
            }
            text = EventHash.webVocabulary(text)  // rule 14
            if let colon = text.firstIndex(of: ":"), !text.hasPrefix("urn:"), !text.hasPrefix("http"),
               let namespace = prefixes[String(text[..<colon])] {  // rule 15
                text = namespace + text[text.index(after: colon)...]
            }
            if let number = EventHash.canonicalNumber(text) { return number }  // rule 6
            return EPCIdentifier.canonicalDigitalLink(text) ?? text  // rules 17–18
        }
    }

    /// Rule 14: CBV 1.x URNs as CBV 2.0 web URIs.
    static func webVocabulary(_ text: String) -> String {
        for (urn, uri) in [("urn:epcglobal:cbv:bizstep:", "BizStep-"), ("urn:epcglobal:cbv:disp:", "Disp-"),
                           ("urn:epcglobal:cbv:btt:", "BTT-"), ("urn:epcglobal:cbv:sdt:", "SDT-"), ("urn:epcglobal:cbv:er:", "ER-")]
        where text.hasPrefix(urn) {
            return "https://ref.gs1.org/cbv/" + uri + text.dropFirst(urn.count)
        }
        return text
    }

    /// Rule 6: a decimal number without leading `+`, leading zeros or trailing
    /// fractional zeros (`1.0` → `1`, `0.3430` → `0.343`); nil for anything else.
    static func canonicalNumber(_ text: String) -> String? {
        var rest = Substring(text)
        var sign = ""
        if rest.first == "+" || rest.first == "-" { sign = rest.first == "-" ? "-" : ""; rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = parts.first, !integer.isEmpty, integer.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && (fraction.isEmpty || !fraction.utf8.allSatisfy({ (0x30...0x39).contains($0) })) { return nil }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        var whole = integer.drop { $0 == "0" }
        if whole.isEmpty { whole = "0" }
        if whole == "0" && fraction.isEmpty { sign = "" }
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Rules 8–9: an RFC 3339 date-time in UTC with milliseconds, `Z` for the zone.
    static func utcMilliseconds(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes.count >= 20, let year = number(0..<4), bytes[4] == 0x2D, let month = number(5..<7), bytes[7] == 0x2D,
              let day = number(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var index = 19
        var micro = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = ""
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { digits.append(Character(Unicode.Scalar(bytes[index]))); index += 1 }
            guard !digits.isEmpty else { return nil }
            // To microseconds, then to milliseconds rounding half to even (as the reference does).
            let padded = String((digits + "000000").prefix(6))
            micro = Int(padded) ?? 0
            let remainder = micro % 1000
            micro -= remainder
            if remainder > 500 || (remainder == 500 && (micro / 1000) % 2 == 1) { micro += 1000 }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            guard index + 1 == bytes.count else { return nil }
        } else {
            guard index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                  let offsetHours = number(index + 1..<index + 3), bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetMinutes = number(index + 4..<index + 6) else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        }
        var total = CalendarDate.dayNumber(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        total += micro / 1_000_000
        let millis = (micro % 1_000_000) / 1000
        let days = Int((Double(total) / 86_400).rounded(.down))
        let secondsOfDay = total - days * 86_400
        let date = CalendarDate(dayNumber: days)
        let (y, m, d) = (date.year, date.month, date.day)
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay % 3600 / 60, 2)):"
            + "\(pad(secondsOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    /// Byte-wise (UTF-8 code unit) order, rules 10–12.
    static func utf8Less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\n\r".unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !" \t\n\r".unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}
