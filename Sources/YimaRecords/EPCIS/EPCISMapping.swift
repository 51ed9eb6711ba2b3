/// Yima's records as EPCIS 2.0 events and back (docs/epcis.md §Mapping). The
/// mapping is a bijection on what Yima records: each event's data either lands
/// in a standard EPCIS field or, where EPCIS has none, in an extension member of
/// the `yima:` namespace with the field's own name, so an export imported into
/// another store exports again to the same event hashes.
public enum EPCISMapping {
    /// The extension namespace (docs/epcis.md §Extension namespace).
    public static let namespace = "urn:yima:epcis:"
    public static let prefix = "yima"
    /// CBV 2.0 master-data attributes used in ILMD (CBV 2.0 §10).
    public static let masterDataNamespace = "urn:epcglobal:cbv:mda:"
    /// The normative EPCIS 2.0 JSON-LD context.
    public static let contextURL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    /// Parties have no GLN in Yima: they are named by their party id under this URN.
    public static let partyURNPrefix = "urn:yima:party:"
    public static let countryOfOrigin = "CN"

    /// The document's `@context`: the EPCIS context and the two prefixes we use.
    public static var context: EPCISJSON {
        .array([.string(contextURL), .fields(["yima": .string(namespace), "cbvmda": .string(masterDataNamespace)])])
    }

    /// The prefixes `context` declares, for the event hash.
    public static let declaredPrefixes = ["yima": namespace, "cbvmda": masterDataNamespace]

    /// A complete EPCISDocument around `events`.
    public static func document(events: [EPCISJSON], creationDate: String) -> EPCISJSON {
        .fields(["@context": context, "type": .string("EPCISDocument"), "schemaVersion": .string("2.0"),
                 "creationDate": .string(creationDate), "epcisBody": .fields(["eventList": .array(events)])])
    }

    /// Data fields that are carried as JSON integers and booleans in Yima's records
    /// (every extension value is a string in EPCIS; these are turned back on import).
    static let integerFields: Set<String> = ["count", "safety_interval_days"]
    static let booleanFields: Set<String> = ["pass"]
}

// MARK: Export

/// One batch's chain as EPCIS events, in chain order.
public struct EPCISExport: Sendable {
    public let batch: Batch
    /// The batch's event records in chain order with their record ids.
    public let events: [(id: RecordID, event: Event)]

    public init(batch: Batch, events: [(id: RecordID, event: Event)]) {
        self.batch = batch
        self.events = events
    }

    /// Every event mapped, each with its hash as `eventID`.
    public func mapped() -> [EPCISJSON] {
        var byRecord: [RecordID: EPCISJSON] = [:]
        var out: [EPCISJSON] = []
        var harvestDate: CalendarDate?
        for (id, event) in events {
            if case .harvest(let date, _) = event.data { harvestDate = date }
            let mapped: EPCISJSON
            // A correction of an event of this chain (not of a correction: one error declaration per event).
            if case .correction(let corrects, let reason, let replacement) = event.data, let original = byRecord[corrects],
               original["errorDeclaration"] == nil {
                mapped = Self.declaringError(in: original, time: event.time, reason: reason,
                                             corrective: replacement.flatMap { byRecord[$0] })
            } else {
                mapped = Self.withEventID(map(event, harvestDate: harvestDate))
            }
            byRecord[id] = mapped
            out.append(mapped)
        }
        return out
    }

    /// The event with its hash as `eventID`, after `type`.
    static func withEventID(_ event: EPCISJSON) -> EPCISJSON {
        let hash = EventHash.id(of: event, prefixes: EPCISMapping.declaredPrefixes)
        var members = (event.members ?? []).filter { $0.key != "eventID" }
        members.insert(.init("eventID", .string(hash)), at: min(1, members.count))
        return .object(members)
    }

    /// EPCIS 2.0 §7.4.1.4: a correction is the erroneous event again, with an
    /// error declaration (which leaves its hash unchanged) naming the corrective event.
    static func declaringError(in original: EPCISJSON, time: Timestamp, reason: String, corrective: EPCISJSON?) -> EPCISJSON {
        var declaration: [EPCISJSON.Member] = [.init("declarationTime", .string(time.rawValue)), .init("reason", .string("incorrect_data"))]
        if let id = corrective?["eventID"] { declaration.append(.init("correctiveEventIDs", .array([id]))) }
        declaration.append(.init("yima:reason", .string(reason)))
        return .object((original.members ?? []) + [.init("errorDeclaration", .object(declaration))])
    }

    /// One event without its `eventID`.
    func map(_ event: Event, harvestDate: CalendarDate?) -> EPCISJSON {
        guard case .object(var data) = Event.json(event.data) else { return .null }
        let lot = EPCIdentifier.lot(gtin: event.batch.gtin.rawValue, lot: event.batch.lot.rawValue)
        func take(_ name: String) -> JSONValue? { data.removeValue(forKey: name) }
        func strings(_ value: JSONValue?) -> [String] {
            guard case .array(let elements)? = value else { return [] }
            return elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
        func unitURI(_ serial: String) -> EPCISJSON {
            .string(EPCIdentifier.unit(gtin: event.batch.gtin.rawValue, lot: event.batch.lot.rawValue, serial: serial))
        }
        func party(_ value: JSONValue?) -> EPCISJSON? {
            guard case .string(let id)? = value else { return nil }
            return .string(EPCISMapping.partyURNPrefix + id)
        }
        var out: [EPCISJSON.Member] = [.init("type", .string(event.type == .packing ? "AggregationEvent" : "ObjectEvent")),
                                       .init("eventTime", .string(event.time.rawValue)),
                                       .init("eventTimeZoneOffset", .string(String(event.time.rawValue.suffix(6))))]
        if event.type == .packing {
            out.append(.init("parentID", .string(EPCIdentifier.container(Self.text(take("sscc"))))))
            let children: [EPCISJSON] = strings(take("units")).map(unitURI) + strings(take("cartons")).map { .string(EPCIdentifier.container($0)) }
            out.append(.init("childEPCs", .array(children)))
            out.append(.init("action", .string("ADD")))
            data["batch"] = .string(lot)  // cartons do not name their batch: `yima:batch` does
        } else {
            let epcs: [EPCISJSON] = strings(take("units")).map(unitURI) + strings(take("sscc")).map { .string(EPCIdentifier.container($0)) }
            if !epcs.isEmpty { out.append(.init("epcList", .array(epcs))) }
            var element: [EPCISJSON.Member] = [.init("epcClass", .string(lot))]
            if event.type == .unitIssuance, case .integer(let count)? = take("count") {
                element.append(.init("quantity", .number(String(count))))
            } else if [.harvest, .retailSelling, .certificate].contains(event.type), case .object(let quantity)? = take("quantity") {
                element.append(.init("quantity", .number(Self.text(quantity["value"]))))
                element.append(.init("uom", .string(Self.text(quantity["unit"]))))
            }
            out.append(.init("quantityList", .array([.object(element)])))
            out.append(.init("action", .string(event.type == .unitIssuance ? "ADD" : "OBSERVE")))
        }
        out.append(.init("bizStep", .string(event.type.businessStep)))
        if event.type == .recall { out.append(.init("disposition", .string("recalled"))) }
        // The identifier before its type (CBV 2.0 §8.9 rule 13; the prototype reads them in document order).
        if event.type == .shipping || event.type == .receiving, let from = party(take("from")) {
            out.append(.init("sourceList", .array([.fields(["source": from, "type": .string("owning_party")])])))
        }
        if event.type == .shipping, let to = party(take("to")) {
            out.append(.init("destinationList", .array([.fields(["destination": to, "type": .string("owning_party")])])))
        }
        if event.type == .unitIssuance { out.append(.init("ilmd", ilmd(harvestDate: harvestDate))) }
        // Everything else: the extension namespace, field for field (sorted, as canonical JSON is).
        for (name, value) in CanonicalJSON.sortedMembers(data) {
            out.append(.init("\(EPCISMapping.prefix):\(name)", Self.extensionValue(value)))
        }
        return .object(out)
    }

    /// Instance/lot master data of commissioned units (EPCIS 2.0 §7.3.6, CBV 2.0 §10):
    /// the lot, country of origin, harvest date and the batch's origin.
    public func ilmd(harvestDate: CalendarDate?) -> EPCISJSON {
        var members: [EPCISJSON.Member] = [.init("cbvmda:lotNumber", .string(batch.lot.rawValue)),
                                           .init("cbvmda:countryOfOrigin", .string(EPCISMapping.countryOfOrigin))]
        if let harvestDate { members.append(.init("cbvmda:harvestStartDate", .string(harvestDate.description))) }
        members.append(.init("yima:origin", .fields([
            "yima:division": .string(batch.origin.division.rawValue), "yima:place": .string(batch.origin.place),
            "yima:lat": .string(batch.origin.latitude.rawValue), "yima:lon": .string(batch.origin.longitude.rawValue)])))
        return .object(members)
    }

    /// A data value as an extension value: text stays text, integers and booleans
    /// become their JSON text, objects keep their members under the namespace.
    static func extensionValue(_ value: JSONValue) -> EPCISJSON {
        switch value {
        case .string(let text): .string(text)
        case .integer(let number): .string(String(number))
        case .bool(let flag): .string(flag ? "true" : "false")
        case .array(let elements): .array(elements.map(extensionValue))
        case .object(let members):
            .object(CanonicalJSON.sortedMembers(members).map { .init("\(EPCISMapping.prefix):\($0.key)", extensionValue($0.value)) })
        }
    }

    static func text(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { text } else { "" }
    }
}
