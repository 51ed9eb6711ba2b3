/// An EPCIS event read back into the parts of a Yima event draft (docs/epcis.md
/// §Import): what the document alone decides. The store-dependent checks (the
/// batch exists, the hash is new, ILMD agrees, corrections find their events)
/// are the service's.
public struct EPCISIncoming: Sendable {
    /// `$.epcisBody.eventList[i]`.
    public let path: String
    /// The event's CBV 2.0 hash ID, computed (and equal to its `eventID` if it has one).
    public let hash: String
    public let batch: BatchReference
    public let type: EventType
    /// The Yima time: `eventTime` at `eventTimeZoneOffset`.
    public let time: String
    /// The event's `data`, as Yima's record decoder will check it.
    public let data: [String: JSONValue]
    /// A unit issuance's ILMD, to compare with what this store derives.
    public let ilmd: EPCISJSON?
    /// For an error declaration (a correction): its time, reason and corrective event.
    public let declaration: Declaration?

    public struct Declaration: Sendable {
        public let time: String
        public let reason: String
        public let correctiveEventID: String?
    }

    /// The event draft Recording signs (actor and prev filled in there).
    public func draft(data: [String: JSONValue]) -> JSONValue {
        .object(["type": .string(type.rawValue), "batch": .object(["gtin": .string(batch.gtin.rawValue), "lot": .string(batch.lot.rawValue)]),
                 "time": .string(time), "data": .object(data), "epcis_event_id": .string(hash)])
    }

    /// Parses, checks and maps a whole document: every problem found, or the events.
    public static func read(_ bytes: [UInt8]) throws(EPCISProblems) -> [EPCISIncoming] {
        let document = try EPCISJSON.parse(bytes)
        let (events, schemaProblems) = EPCISSchemaCheck.check(document)
        guard schemaProblems.isEmpty else { throw EPCISProblems(schemaProblems) }
        let prefixes = declaredPrefixes(document["@context"])
        var problems: [RecordError] = []
        if document["epcisHeader"] != nil { problems.append(.invalid("$.epcisHeader", .epcisUnmappable)) }
        if prefixes[EPCISMapping.prefix] != EPCISMapping.namespace {
            problems.append(.invalid("$[\"@context\"]", .epcisSchema, ["expected": "the prefix yima declared as \(EPCISMapping.namespace)"]))
        }
        var out: [EPCISIncoming] = []
        for (path, event) in events {
            var reader = EventReader(path: path, event: event, prefixes: prefixes)
            if let incoming = reader.read() { out.append(incoming) }
            problems += reader.problems
        }
        guard problems.isEmpty else { throw EPCISProblems(problems) }
        return out
    }

    static func declaredPrefixes(_ context: EPCISJSON?) -> [String: String] {
        var out: [String: String] = [:]
        for entry in context?.array ?? (context.map { [$0] } ?? []) {
            for member in entry.members ?? [] { if let uri = member.value.string { out[member.key] = uri } }
        }
        return out
    }
}

/// Reads one event, consuming each member it maps; whatever is left could not be
/// kept and is refused by name.
struct EventReader {
    let path: String
    let event: EPCISJSON
    let prefixes: [String: String]
    var problems: [RecordError] = []
    var consumed: Set<String> = ["type", "eventID", "recordTime", "eventTime", "eventTimeZoneOffset", "@context"]

    init(path: String, event: EPCISJSON, prefixes: [String: String]) {
        self.path = path
        self.event = event
        self.prefixes = prefixes
    }

    mutating func unmappable(_ field: String) { problems.append(.invalid("\(path).\(field)", .epcisUnmappable)) }

    mutating func take(_ name: String) -> EPCISJSON? {
        consumed.insert(name)
        return event[name]
    }

    mutating func read() -> EPCISIncoming? {
        let hash = EventHash.id(of: event, prefixes: prefixes)
        if let given = event["eventID"]?.string, given != hash {
            problems.append(.invalid("\(path).eventID", .epcisHashMismatch, ["expected": hash]))
        }
        let kind = event["type"]?.string ?? ""
        guard kind == "ObjectEvent" || kind == "AggregationEvent" else { unmappable("type"); return nil }
        guard let step = take("bizStep")?.string,
              let type = EventType.allCases.first(where: { $0.businessStep == step }) else { unmappable("bizStep"); return nil }
        guard (type == .packing) == (kind == "AggregationEvent") else { unmappable("type"); return nil }
        let expectedAction = type == .unitIssuance || type == .packing ? "ADD" : "OBSERVE"
        if take("action")?.string != expectedAction { unmappable("action") }
        let disposition = take("disposition")?.string
        if disposition != (type == .recall ? "recalled" : nil) { unmappable("disposition") }
        var data: [String: JSONValue] = [:]
        var batch: BatchReference?
        var ilmd: EPCISJSON?

        func lotReference(_ uri: String?) -> BatchReference? {
            guard let uri, let elements = EPCIdentifier.elements(ofDigitalLink: uri), elements.count == 2,
                  elements[0].ai == "01", elements[1].ai == "10",
                  let gtin = try? GTIN(elements[0].value), let lot = try? Lot(elements[1].value) else { return nil }
            return BatchReference(gtin: gtin, lot: lot)
        }
        if type == .packing {
            batch = lotReference(take("yima:batch")?.string)
            if batch == nil { unmappable("yima:batch") }
            guard let parent = take("parentID")?.string, let sscc = container(parent) else { unmappable("parentID"); return nil }
            data["sscc"] = .string(sscc)
            var units: [JSONValue] = []
            var cartons: [JSONValue] = []
            for (index, child) in (take("childEPCs")?.array ?? []).enumerated() {
                if let batch, let serial = unit(child.string, of: batch) { units.append(.string(serial)) }
                else if let sscc = container(child.string ?? "") { cartons.append(.string(sscc)) }
                else { unmappable("childEPCs[\(index)]") }
            }
            if !units.isEmpty { data["units"] = .array(units) }
            if !cartons.isEmpty { data["cartons"] = .array(cartons) }
        } else {
            let quantities = take("quantityList")?.array ?? []
            guard quantities.count == 1, let reference = lotReference(quantities[0]["epcClass"]?.string) else {
                unmappable("quantityList"); return nil
            }
            batch = reference
            let element = quantities[0]
            let quantity: String? = if case .number(let literal)? = element["quantity"] { literal } else { nil }
            let uom = element["uom"]?.string
            switch type {
            case .unitIssuance:
                if let quantity, uom == nil, let count = Int64(quantity) { data["count"] = .integer(count) }
                else { unmappable("quantityList[0].quantity") }
            case .harvest, .retailSelling, .certificate:
                if let quantity, let uom { data["quantity"] = .object(["value": .string(quantity), "unit": .string(uom)]) }
                else if quantity != nil || uom != nil || type != .retailSelling { unmappable("quantityList[0].quantity") }
            default:
                if quantity != nil || uom != nil { unmappable("quantityList[0].quantity") }
            }
            var units: [JSONValue] = []
            var containers: [JSONValue] = []
            for (index, epc) in (take("epcList")?.array ?? []).enumerated() {
                if let serial = unit(epc.string, of: reference) { units.append(.string(serial)) }
                else if let sscc = container(epc.string ?? "") { containers.append(.string(sscc)) }
                else { unmappable("epcList[\(index)]") }
            }
            let unitTypes: Set<EventType> = [.shipping, .receiving, .recall]
            if !units.isEmpty { if unitTypes.contains(type) { data["units"] = .array(units) } else { unmappable("epcList") } }
            if !containers.isEmpty {
                if type == .shipping || type == .receiving { data["sscc"] = .array(containers) } else { unmappable("epcList") }
            }
            if let value = take("ilmd") { if type == .unitIssuance { ilmd = value } else { unmappable("ilmd") } }
        }
        if let sources = take("sourceList")?.array {
            if (type == .shipping || type == .receiving), sources.count == 1, sources[0]["type"]?.string == "owning_party",
               let from = party(sources[0]["source"]?.string) { data["from"] = .string(from) } else { unmappable("sourceList") }
        }
        if let destinations = take("destinationList")?.array {
            if type == .shipping, destinations.count == 1, destinations[0]["type"]?.string == "owning_party",
               let to = party(destinations[0]["destination"]?.string) { data["to"] = .string(to) } else { unmappable("destinationList") }
        }
        var declaration: EPCISIncoming.Declaration?
        if let error = take("errorDeclaration") {
            let corrective = error["correctiveEventIDs"]?.array ?? []
            if error["reason"]?.string != "incorrect_data" { unmappable("errorDeclaration.reason") }
            if corrective.count > 1 { unmappable("errorDeclaration.correctiveEventIDs") }
            for member in error.members ?? [] where !["declarationTime", "reason", "correctiveEventIDs", "yima:reason"].contains(member.key) {
                unmappable("errorDeclaration.\(member.key)")
            }
            if let time = error["declarationTime"]?.string.flatMap(Self.declaredTime), let reason = error["yima:reason"]?.string {
                declaration = .init(time: time, reason: reason, correctiveEventID: corrective.first?.string)
            } else {
                unmappable("errorDeclaration.yima:reason")
            }
        }
        // Every remaining member: a yima: extension carrying a data field, or refused.
        for member in event.members ?? [] where !consumed.contains(member.key) {
            guard member.key.hasPrefix(EPCISMapping.prefix + ":"), let value = dataValue(member.value, field: member.key) else {
                unmappable(member.key); continue
            }
            let name = String(member.key.dropFirst(EPCISMapping.prefix.count + 1))
            guard data[name] == nil else { unmappable(member.key); continue }
            data[name] = value
        }
        guard let batch, let eventTime = event["eventTime"]?.string, let offset = event["eventTimeZoneOffset"]?.string,
              let time = Self.localTime(eventTime, offset: offset) else { return nil }
        return EPCISIncoming(path: path, hash: hash, batch: batch, type: type, time: time, data: data, ilmd: ilmd,
                             declaration: declaration)
    }

    /// An extension value back as Yima JSON: strings, with the integer and boolean
    /// fields typed again, objects with their `yima:` members.
    func dataValue(_ value: EPCISJSON, field: String) -> JSONValue? {
        let name = field.hasPrefix("yima:") ? String(field.dropFirst(5)) : field
        switch value {
        case .string(let text):
            if EPCISMapping.integerFields.contains(name) { return Int64(text).map(JSONValue.integer) }
            if EPCISMapping.booleanFields.contains(name) { return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil }
            return .string(text)
        case .array(let elements):
            var out: [JSONValue] = []
            for element in elements {
                guard let converted = dataValue(element, field: field) else { return nil }
                out.append(converted)
            }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for member in members {
                guard member.key.hasPrefix("yima:"), let converted = dataValue(member.value, field: member.key) else { return nil }
                out[String(member.key.dropFirst(5))] = converted
            }
            return .object(out)
        case .number, .bool, .null:
            return nil
        }
    }

    func unit(_ uri: String?, of batch: BatchReference) -> String? {
        guard let uri, let elements = EPCIdentifier.elements(ofDigitalLink: uri), elements.count == 3, elements[0].ai == "01",
              elements[0].value == batch.gtin.rawValue, elements[1].ai == "10", elements[1].value == batch.lot.rawValue,
              elements[2].ai == "21" else { return nil }
        return elements[2].value
    }

    func container(_ uri: String) -> String? {
        guard let elements = EPCIdentifier.elements(ofDigitalLink: uri), elements.count == 1, elements[0].ai == "00" else { return nil }
        return elements[0].value
    }

    func party(_ uri: String?) -> String? {
        guard let uri, uri.hasPrefix(EPCISMapping.partyURNPrefix) else { return nil }
        return String(uri.dropFirst(EPCISMapping.partyURNPrefix.count))
    }

    /// `eventTime` written at `offset` (Yima times carry their numeric offset).
    static func localTime(_ eventTime: String, offset: String) -> String? {
        if eventTime.hasSuffix(offset), eventTime.utf8.count > 6 { return eventTime }
        guard let utc = EventHash.utcMilliseconds(eventTime), EPCISSchemaCheck.isOffset(offset) else { return nil }
        let b = Array(offset.utf8)
        let minutes = (Int(b[1] - 0x30) * 10 + Int(b[2] - 0x30)) * 60 + Int(b[4] - 0x30) * 10 + Int(b[5] - 0x30)
        let u = Array(utc.utf8)
        func n(_ r: Range<Int>) -> Int { Int(String(decoding: u[r], as: UTF8.self))! }
        let total = CalendarDate.dayNumber(year: n(0..<4), month: n(5..<7), day: n(8..<10)) * 86_400 + n(11..<13) * 3600 + n(14..<16) * 60
            + n(17..<19) + (b[0] == UInt8(ascii: "-") ? -minutes : minutes) * 60
        let days = Int((Double(total) / 86_400).rounded(.down))
        let seconds = total - days * 86_400
        let date = CalendarDate(dayNumber: days)
        let (y, m, d) = (date.year, date.month, date.day)
        func pad(_ v: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        let millis = n(20..<23)
        return "\(pad(y, 4))-\(pad(m))-\(pad(d))T\(pad(seconds / 3600)):\(pad(seconds % 3600 / 60)):\(pad(seconds % 60))"
            + (millis == 0 ? "" : ".\(pad(millis, 3))") + offset
    }

    /// A declaration time as Yima writes times: it must carry its own numeric offset.
    static func declaredTime(_ time: String) -> String? {
        guard time.utf8.count > 6 else { return nil }
        let offset = String(time.suffix(6))
        return EPCISSchemaCheck.isOffset(offset) ? time : nil
    }
}

/// The refusals of an import that depend on the store (docs/epcis.md §Import).
extension RecordError {
    public static func epcisDuplicate(at path: String, hash: String, record: String) -> RecordError {
        .invalid(path, .epcisDuplicate, ["id": hash, "record": record])
    }

    public static func epcisUnknownEvent(at path: String, hash: String) -> RecordError {
        .invalid(path, .epcisUnknownEvent, ["id": hash])
    }

    public static func epcisUnknownBatch(at path: String, batch: String) -> RecordError {
        .invalid(path, .epcisUnknownBatch, ["batch": batch])
    }

    public static func epcisNotDerived(at path: String, expected: String) -> RecordError {
        .invalid(path, .epcisNotDerived, ["expected": expected])
    }
}
