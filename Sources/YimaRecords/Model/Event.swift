import YimaCrypto

/// An event record (`"kind":"event"`): something that happened to a batch,
/// signed by the party that did it, linked to the batch's previous record.
///
///     {"actor":"...","batch":{"gtin":"...","lot":"..."},"data":{...},"kind":"event",
///      "prev":"<record id>","time":"2026-09-15T08:30:00+08:00","type":"harvest","v":1}
public struct Event: Sendable, Hashable {
    public var batch: BatchReference
    /// The id of the batch's previous record: the batch record for the first event.
    public var previous: RecordID
    public var time: Timestamp
    /// The party that did it and signs it.
    public var actor: PartyID
    public var data: EventData
    /// For an event imported from EPCIS: the source event's CBV 2.0 hash ID
    /// (`"epcis_event_id"`, docs/epcis.md §Import), so that it is imported once.
    public var epcisEventID: String?

    public var type: EventType { data.type }

    public init(batch: BatchReference, previous: RecordID, time: Timestamp, actor: PartyID, data: EventData) throws(RecordError) {
        self.batch = batch
        self.previous = previous
        self.time = time
        self.actor = actor
        self.data = data
        try Self.validate(data)
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "v": .integer(Record.payloadVersion), "kind": "event", "type": .string(type.rawValue), "batch": batch.json,
            "prev": .string(previous.hex), "time": time.json, "actor": actor.json, "data": Self.json(data)]
        members["epcis_event_id"] = epcisEventID.map(JSONValue.string)
        return .object(members)
    }

    init(reading reader: inout ObjectReader) throws(RecordError) {
        let typeName = try reader.string("type")
        guard let type = EventType(rawValue: typeName) else {
            throw RecordError.invalid("type", .eventTypeUnknown, ["type": typeName])
        }
        batch = try reader.parsed("batch", BatchReference.parse)
        previous = try reader.parsed("prev", RecordID.parse)
        time = try reader.parsed("time", Timestamp.parse)
        actor = try reader.parsed("actor", PartyID.parse)
        var dataReader = try ObjectReader(reader.value("data"), path: "data")
        data = try Self.parseData(type, &dataReader)
        try dataReader.finish()
        try Self.validate(data)
        epcisEventID = try reader.optionalString("epcis_event_id")
        if let id = epcisEventID, !EventHash.isHashID(id) {
            throw RecordError.invalid("epcis_event_id", .epcisEventIDShape)
        }
    }

    // MARK: Validation shared by construction and decoding

    static func validate(_ data: EventData) throws(RecordError) {
        func text(_ value: String?, _ field: String, _ maximum: Int = 200) throws(RecordError) {
            if let value { try FieldText.check(value, at: "data.\(field)", maximumLength: maximum) }
        }
        func unique<T: Hashable>(_ values: [T], _ field: String) throws(RecordError) {
            guard Set(values).count == values.count else {
                throw RecordError.invalid("data.\(field)", .listsItemTwice)
            }
        }
        switch data {
        case .planting(let method, let area, let note):
            try text(method, "method"); try text(note, "note", 500)
            if let area, ![.squareMetre, .hectare].contains(area.unit) {
                throw RecordError.invalid("data.area.unit", .eventAreaUnit)
            }
        case .pesticide(let p):
            try text(p.name, "name"); try text(p.activeIngredient, "active_ingredient"); try text(p.method, "method")
            try text(p.dose.unit, "dose.unit", 20)
            guard !p.dose.value.isNegative else { throw RecordError.invalid("data.dose.value", .notNegative) }
            guard (0...365).contains(p.safetyIntervalDays) else {
                throw RecordError.invalid("data.safety_interval_days", .eventSafetyIntervalRange)
            }
        case .fertilizer(let f):
            try text(f.name, "name"); try text(f.type, "type", 40)
        case .care(_, let note, let photo):
            try text(note, "note", 500)
            if let photo, RecordID(hex: photo) == nil {
                throw RecordError.invalid("data.photo_sha256", .sha256Shape)
            }
        case .harvest:
            break
        case .inspection(_, let items, let pass, let reportNumber):
            try text(reportNumber, "report_number", 64)
            guard !items.isEmpty else { throw RecordError.invalid("data.items", .eventInspectionNoItems) }
            for (index, item) in items.enumerated() {
                try text(item.name, "items[\(index)].name"); try text(item.method, "items[\(index)].method")
                try text(item.result, "items[\(index)].result", 40); try text(item.limit, "items[\(index)].limit", 40)
                try text(item.unit, "items[\(index)].unit", 20)
            }
            guard pass == items.allSatisfy(\.pass) else {
                throw RecordError.invalid("data.pass", .eventInspectionVerdict)
            }
        case .unitIssuance(let issuance):
            guard issuance.count > 0 else { throw RecordError.invalid("data.count", .positive) }
            if let each = issuance.unitQuantity, each.value.doubleValue <= 0 {
                throw RecordError.invalid("data.unit_quantity.value", .positive)
            }
        case .certificateReceipt:
            break
        case .packing(_, .units(let units)):
            guard !units.isEmpty else { throw RecordError.invalid("data.units", .textEmpty) }
            try unique(units, "units")
        case .packing(_, .cartons(let cartons)):
            guard !cartons.isEmpty else { throw RecordError.invalid("data.cartons", .textEmpty) }
            try unique(cartons, "cartons")
        case .storing(let location, _, let note):
            try text(location, "location"); try text(note, "note", 500)
        case .shipping(_, _, _, let units, let containers), .receiving(_, let units, let containers):
            try unique(units, "units"); try unique(containers, "sscc")
        case .retailSelling(let location, _):
            try text(location, "location")
        case .recall(let reason, let action, let units):
            try text(reason, "reason", 500); try text(action, "action", 500); try unique(units, "units")
        case .correction(_, let reason, _):
            try text(reason, "reason", 500)
        case .certificate(let certificate):
            try text(certificate.number, "number", 64); try text(certificate.contact, "contact", 100)
            try unique(certificate.sources, "sources")
        case .externalCode(let external):
            try text(external.platform, "platform", 100)
        }
    }

    // MARK: Data encoding

    static func json(_ data: EventData) -> JSONValue {
        var out = ObjectWriter()
        func serials(_ values: [Serial]) -> JSONValue? { values.isEmpty ? nil : .array(values.map(\.json)) }
        func ssccs(_ values: [SSCC]) -> JSONValue? { values.isEmpty ? nil : .array(values.map(\.json)) }
        switch data {
        case .planting(let method, let area, let note):
            out["method"] = method.map(JSONValue.string); out["area"] = area?.json; out["note"] = note.map(JSONValue.string)
        case .pesticide(let p):
            out["input"] = "pesticide"; out["name"] = .string(p.name)
            out["registration_number"] = p.registrationNumber.json
            out["active_ingredient"] = .string(p.activeIngredient); out["dose"] = p.dose.json
            out["method"] = .string(p.method); out["date"] = p.date.json
            out["safety_interval_days"] = .integer(Int64(p.safetyIntervalDays))
        case .fertilizer(let f):
            out["input"] = "fertilizer"; out["name"] = .string(f.name); out["type"] = .string(f.type)
            out["amount"] = f.amount.json; out["date"] = f.date.json
        case .care(let activity, let note, let photo):
            out["activity"] = .string(activity.rawValue); out["note"] = note.map(JSONValue.string)
            out["photo_sha256"] = photo.map(JSONValue.string)
        case .harvest(let date, let quantity):
            out["date"] = date.json; out["quantity"] = quantity.json
        case .inspection(let laboratory, let items, let pass, let reportNumber):
            out["laboratory"] = laboratory.json
            out["items"] = .array(items.map { item in
                var writer = ObjectWriter()
                writer["name"] = .string(item.name); writer["method"] = .string(item.method)
                writer["result"] = .string(item.result); writer["limit"] = item.limit.map(JSONValue.string)
                writer["unit"] = item.unit.map(JSONValue.string); writer["pass"] = .bool(item.pass)
                return writer.value
            })
            out["pass"] = .bool(pass); out["report_number"] = .string(reportNumber)
        case .unitIssuance(let issuance):
            out["count"] = .integer(issuance.count); out["kid"] = .string(issuance.keyID.hex)
            out["units_root"] = issuance.unitsRoot?.json; out["unit_quantity"] = issuance.unitQuantity?.json
        case .certificateReceipt(let receipt):
            out["certificate"] = receipt.certificate.json; out["from"] = receipt.from.json
            out["quantity"] = receipt.quantity?.json
        case .packing(let sscc, let contents):
            out["sscc"] = sscc.json
            switch contents {
            case .units(let units): out["units"] = .array(units.map(\.json))
            case .cartons(let cartons): out["cartons"] = .array(cartons.map(\.json))
            }
        case .storing(let location, let temperature, let note):
            out["location"] = .string(location); out["temperature"] = temperature?.json; out["note"] = note.map(JSONValue.string)
        case .shipping(let from, let to, let carrier, let units, let containers):
            out["from"] = from.json; out["to"] = to.json; out["carrier"] = carrier.json
            out["units"] = serials(units); out["sscc"] = ssccs(containers)
        case .receiving(let from, let units, let containers):
            out["from"] = from.json; out["units"] = serials(units); out["sscc"] = ssccs(containers)
        case .retailSelling(let location, let quantity):
            out["location"] = location.map(JSONValue.string); out["quantity"] = quantity?.json
        case .recall(let reason, let action, let units):
            out["reason"] = .string(reason); out["action"] = .string(action); out["units"] = serials(units)
        case .correction(let corrects, let reason, let replacement):
            out["corrects"] = .string(corrects.hex); out["reason"] = .string(reason)
            out["replacement"] = replacement.map { .string($0.hex) }
        case .certificate(let certificate):
            out["number"] = .string(certificate.number); out["quantity"] = certificate.quantity.json
            out["basis"] = .string(certificate.basis.rawValue); out["contact"] = .string(certificate.contact)
            out["sources"] = certificate.sources.isEmpty ? nil : .array(certificate.sources.map(\.json))
        case .externalCode(let external):
            out["code"] = external.code.json; out["platform"] = .string(external.platform); out["serial"] = external.serial?.json
        }
        return out.value
    }

    static func parseData(_ type: EventType, _ r: inout ObjectReader) throws(RecordError) -> EventData {
        func serials(_ name: String, required: Bool = false) throws(RecordError) -> [Serial] {
            let elements = required ? try r.array(name) : try r.optionalArray(name) ?? []
            if !required && elements.isEmpty && r.optionalValue(name) != nil {
                throw RecordError.invalid(r.fieldPath(name), .omitWhenEmpty)
            }
            return try ObjectReader.elements(elements, at: r.fieldPath(name), Serial.parse)
        }
        func ssccs(_ name: String, required: Bool = false) throws(RecordError) -> [SSCC] {
            let elements = required ? try r.array(name) : try r.optionalArray(name) ?? []
            if !required && elements.isEmpty && r.optionalValue(name) != nil {
                throw RecordError.invalid(r.fieldPath(name), .omitWhenEmpty)
            }
            return try ObjectReader.elements(elements, at: r.fieldPath(name), SSCC.parse)
        }
        switch type {
        case .planting:
            return .planting(method: try r.optionalText("method"), area: try r.optionalParsed("area", Quantity.parse),
                             note: try r.optionalText("note", maximumLength: 500))
        case .inputApplication:
            let input = try r.string("input")
            switch input {
            case "pesticide":
                let interval = try r.integer("safety_interval_days")
                guard (0...365).contains(interval) else {
                    throw RecordError.invalid("data.safety_interval_days", .eventSafetyIntervalRange)
                }
                return .pesticide(PesticideApplication(
                    name: try r.text("name"), registrationNumber: try r.parsed("registration_number", PesticideRegistrationNumber.parse),
                    activeIngredient: try r.text("active_ingredient"), dose: try r.parsed("dose", Dose.parse),
                    method: try r.text("method"), date: try r.parsed("date", CalendarDate.parse), safetyIntervalDays: Int(interval)))
            case "fertilizer":
                return .fertilizer(FertilizerApplication(name: try r.text("name"), type: try r.text("type", maximumLength: 40),
                                                         amount: try r.parsed("amount", Quantity.parse),
                                                         date: try r.parsed("date", CalendarDate.parse)))
            default:
                throw RecordError.invalid("data.input", .eventInputKind)
            }
        case .care:
            let name = try r.string("activity")
            guard let activity = CareActivity(rawValue: name) else {
                throw RecordError.invalid("data.activity", .eventCareActivityUnknown, ["activity": name])
            }
            return .care(activity: activity, note: try r.optionalText("note", maximumLength: 500), photoSHA256: try r.optionalString("photo_sha256"))
        case .harvest:
            return .harvest(date: try r.parsed("date", CalendarDate.parse), quantity: try r.parsed("quantity", Quantity.parse))
        case .inspection:
            let laboratory = try r.parsed("laboratory", PartyID.parse)
            let items = try ObjectReader.elements(r.array("items"), at: "data.items") { value, path throws(RecordError) in
                var item = try ObjectReader(value, path: path)
                let parsed = InspectionItem(name: try item.string("name"), method: try item.string("method"),
                                            result: try item.string("result"), limit: try item.optionalString("limit"),
                                            unit: try item.optionalString("unit"), pass: try item.bool("pass"))
                try item.finish()
                return parsed
            }
            return .inspection(laboratory: laboratory, items: items, pass: try r.bool("pass"),
                               reportNumber: try r.string("report_number"))
        case .unitIssuance:
            return .unitIssuance(UnitIssuance(count: try r.integer("count"), keyID: try r.parsed("kid", KeyID.parse),
                                              unitsRoot: try r.optionalParsed("units_root", IssuedSetRoot.parse),
                                              unitQuantity: try r.optionalParsed("unit_quantity", Quantity.parse)))
        case .certificateReceipt:
            return .certificateReceipt(CertificateReceipt(certificate: try r.parsed("certificate", RecordID.parse),
                                                          from: try r.parsed("from", PartyID.parse),
                                                          quantity: try r.optionalParsed("quantity", Quantity.parse)))
        case .packing:
            let sscc = try r.parsed("sscc", SSCC.parse)
            let units = try r.optionalArray("units")
            let cartons = try r.optionalArray("cartons")
            switch (units, cartons) {
            case (_?, nil): return .packing(sscc: sscc, contents: .units(try serials("units", required: true)))
            case (nil, _?): return .packing(sscc: sscc, contents: .cartons(try ssccs("cartons", required: true)))
            default:
                throw RecordError.invalid("data.units", .eventPackingContents)
            }
        case .storing:
            return .storing(location: try r.text("location"), temperature: try r.optionalParsed("temperature", DecimalString.parse),
                            note: try r.optionalText("note", maximumLength: 500))
        case .shipping:
            return .shipping(from: try r.parsed("from", PartyID.parse), to: try r.parsed("to", PartyID.parse),
                             carrier: try r.parsed("carrier", PartyID.parse), units: try serials("units"), containers: try ssccs("sscc"))
        case .receiving:
            return .receiving(from: try r.parsed("from", PartyID.parse), units: try serials("units"), containers: try ssccs("sscc"))
        case .retailSelling:
            return .retailSelling(location: try r.optionalText("location"), quantity: try r.optionalParsed("quantity", Quantity.parse))
        case .recall:
            return .recall(reason: try r.text("reason", maximumLength: 500), action: try r.text("action", maximumLength: 500),
                           units: try serials("units"))
        case .certificate:
            let basisName = try r.string("basis")
            guard let basis = ComplianceCertificate.Basis(rawValue: basisName) else {
                throw RecordError.invalid("data.basis", .eventCertificateBasis)
            }
            let sources = try r.optionalArray("sources")
            if sources?.isEmpty == true { throw RecordError.invalid("data.sources", .omitWhenEmpty) }
            return .certificate(ComplianceCertificate(
                number: try r.text("number", maximumLength: 64), quantity: try r.parsed("quantity", Quantity.parse), basis: basis,
                contact: try r.text("contact", maximumLength: 100),
                sources: try ObjectReader.elements(sources ?? [], at: "data.sources", RecordID.parse)))
        case .externalCode:
            return .externalCode(ExternalTraceCode(code: try r.parsed("code", TraceAlias.parse),
                                                   platform: try r.text("platform", maximumLength: 100),
                                                   serial: try r.optionalParsed("serial", Serial.parse)))
        case .correction:
            return .correction(corrects: try r.parsed("corrects", RecordID.parse), reason: try r.text("reason", maximumLength: 500),
                               replacement: try r.optionalParsed("replacement", RecordID.parse))
        }
    }
}

extension RecordID {
    var json: JSONValue { .string(hex) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> RecordID {
        let text = try ObjectReader.string(value, at: path)
        guard let id = RecordID(hex: text) else {
            throw RecordError.invalid(path, .recordIDShape)
        }
        return id
    }
}
