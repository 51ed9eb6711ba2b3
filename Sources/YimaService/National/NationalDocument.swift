import YimaRecords
import YimaStore

/// A document in Yima's rendering of NY/T 4712-2025 (docs/national-format.md,
/// docs/schemas/national-document.schema.json): producer basic information
/// (`subjects`), products, stage records with source, destination and inbound and
/// outbound batches (`stages`), and extension information (`extensions`). Every
/// item carries the log position and id of the signed record it comes from.
struct NationalDocument {
    static let format = "yima-nyt4712/1"

    private var subjects: [Int64: JSONValue] = [:]
    private var products: [Int64: JSONValue] = [:]
    private var stages: [Int64: JSONValue] = [:]
    private var extensions: [Int64: JSONValue] = [:]
    /// Subject codes of the parties met so far, by party id.
    private let subjectCode: (String) throws(ServiceError) -> String
    /// External trace codes of a batch, by batch key.
    private let aliases: (String) throws(ServiceError) -> [String]

    init(subjectCode: @escaping (String) throws(ServiceError) -> String, aliases: @escaping (String) throws(ServiceError) -> [String]) {
        self.subjectCode = subjectCode
        self.aliases = aliases
    }

    var isEmpty: Bool { subjects.isEmpty && products.isEmpty && stages.isEmpty && extensions.isEmpty }

    /// The log positions of the records added, in order.
    var sequences: [Int64] { (Array(subjects.keys) + products.keys + stages.keys + extensions.keys).sorted() }

    /// Adds what `decoded` says, in the section its kind and type belong to.
    mutating func add(_ decoded: DecodedRecord) throws(ServiceError) {
        let sequence = decoded.stored.sequence
        var item = Members()
        item["sequence"] = .integer(sequence)
        item["record_id"] = .string(decoded.envelope.recordID.hex)
        item["signer_key"] = .string(decoded.envelope.keyID.hex)
        switch decoded.record {
        case .party(let party):
            subjects[sequence] = Self.subject(party, into: item)
        case .product(let product):
            item["gtin"] = .string(product.gtin.rawValue)
            item["name"] = .string(product.name)
            if let variety = product.variety { item["variety"] = .string(variety) }
            item["category"] = .string(product.category.rawValue)
            products[sequence] = item.value
        case .batch(let batch):
            stages[sequence] = try batchRecord(batch, stored: decoded.stored, into: item)
        case .event(let event):
            if let stage = NationalStage(event.type) {
                stages[sequence] = try stageRecord(event, stage: stage, into: item)
            } else {
                extensions[sequence] = try extensionRecord(event, into: item)
            }
        case .key(let change):
            item["type"] = "key_change"
            item["time"] = .string(RFC3339.utc(decoded.stored.recordedAt))
            item["data"] = change.json
            extensions[sequence] = item.value
        }
    }

    func json(generatedAt: Int64, selection: [String: JSONValue]) -> JSONValue {
        func ordered(_ items: [Int64: JSONValue]) -> JSONValue { .array(items.sorted { $0.key < $1.key }.map(\.value)) }
        return .object([
            "format": .string(Self.format), "standard": "NY/T 4712-2025", "generated_at": .string(RFC3339.utc(generatedAt)),
            "selection": .object(selection), "subjects": ordered(subjects), "products": ordered(products),
            "stages": ordered(stages), "extensions": ordered(extensions),
        ])
    }

    // MARK: Producer basic information (生产经营者基础信息)

    /// A legal person's subject code is its 统一社会信用代码; a natural person's ID
    /// number is not kept (docs/records.md §Parties), so its code is its party id.
    static func subjectCode(_ party: Party) -> String {
        switch party.identifier {
        case .creditCode(let code): code.rawValue
        case .naturalPerson: party.id.rawValue
        }
    }

    private static func subject(_ party: Party, into item: Members) -> JSONValue {
        var item = item
        item["subject_code"] = .string(subjectCode(party))
        item["party_id"] = .string(party.id.rawValue)
        item["name"] = .string(party.name)
        item["address"] = .string(party.address)
        if let contact = party.contact { item["contact"] = .string(contact) }
        item["roles"] = .array(party.roles.map { .string($0.rawValue) })
        switch party.identifier {
        case .creditCode(let code):
            item["subject_type"] = "legal_person"
            item["credit_code"] = .string(code.rawValue)
        case .naturalPerson(let digest):
            item["subject_type"] = "natural_person"
            item["id_number_digest"] = .object(["salt": .string(digest.salt), "sha256": .string(digest.sha256)])
        }
        if let from = party.validFrom { item["valid_from"] = .string(from.rawValue) }
        if let until = party.validUntil { item["valid_until"] = .string(until.rawValue) }
        return item.value
    }

    // MARK: Stage records (业务基础信息)

    /// The batch record opens the production stage: the lot comes into being at its
    /// origin, which is the stage's source. It has no signed time; the store's is used.
    private func batchRecord(_ batch: Batch, stored: StoredRecord, into item: Members) throws(ServiceError) -> JSONValue {
        var item = item
        item["stage"] = .string(NationalStage.production.rawValue)
        item["stage_name"] = .string(NationalStage.production.chineseName)
        item["activity"] = "batch"
        item["time"] = .string(RFC3339.utc(stored.recordedAt))
        item["subject_code"] = .string(try subjectCode(batch.owner.rawValue))
        item["party_id"] = .string(batch.owner.rawValue)
        item["gtin"] = .string(batch.gtin.rawValue)
        item["source"] = Self.origin(batch.origin)
        item["outbound_batch"] = try outbound(batch.reference)
        var details = Members()
        details["season"] = .string(batch.season)
        details["quantity"] = Self.member(batch.json, "quantity")
        item["details"] = details.value
        return item.value
    }

    private func stageRecord(_ event: Event, stage: NationalStage, into item: Members) throws(ServiceError) -> JSONValue {
        var item = item
        item["stage"] = .string(stage.rawValue)
        item["stage_name"] = .string(stage.chineseName)
        item["activity"] = .string(event.type.rawValue)
        item["time"] = .string(event.time.rawValue)
        item["subject_code"] = .string(try subjectCode(event.actor.rawValue))
        item["party_id"] = .string(event.actor.rawValue)
        item["gtin"] = .string(event.batch.gtin.rawValue)
        let batchCode = Self.batchCode(event.batch)
        switch event.data {
        case .shipping(let from, let to, let carrier, let units, let containers):
            item["source"] = try party(from.rawValue)
            item["destination"] = try party(to.rawValue)
            item["carrier"] = try party(carrier.rawValue)
            item["inbound_batch"] = batchCode
            item["outbound_batch"] = try outbound(event.batch, units: units, containers: containers)
        case .receiving(let from, let units, let containers):
            item["source"] = try party(from.rawValue)
            item["destination"] = try party(event.actor.rawValue)
            item["inbound_batch"] = batchCode
            item["outbound_batch"] = try outbound(event.batch, units: units, containers: containers)
        case .storing:
            item["source"] = try party(event.actor.rawValue)
            item["destination"] = try party(event.actor.rawValue)
            item["inbound_batch"] = batchCode
            item["outbound_batch"] = try outbound(event.batch)
        case .packing(let sscc, let contents):
            item["inbound_batch"] = batchCode
            var outbound = Members()
            outbound["trace_code"] = .string("(00)\(sscc.rawValue)")
            outbound["sscc"] = .string(sscc.rawValue)
            switch contents {
            case .units(let serials): outbound["units"] = .array(serials.map { .string($0.rawValue) })
            case .cartons(let cartons): outbound["containers"] = .array(cartons.map { .string($0.rawValue) })
            }
            item["outbound_batch"] = outbound.value
        default:
            // Production: the lot at its owner's; its trace code goes on to the next stage.
            item["outbound_batch"] = try outbound(event.batch)
        }
        item["details"] = Self.member(event.json, "data")
        return item.value
    }

    private func extensionRecord(_ event: Event, into item: Members) throws(ServiceError) -> JSONValue {
        var item = item
        item["type"] = .string(event.type.rawValue)
        item["time"] = .string(event.time.rawValue)
        item["subject_code"] = .string(try subjectCode(event.actor.rawValue))
        item["party_id"] = .string(event.actor.rawValue)
        item["batch"] = Self.batchCode(event.batch)
        item["data"] = Self.member(event.json, "data")
        return item.value
    }

    // MARK: Pieces

    private func party(_ id: String) throws(ServiceError) -> JSONValue {
        .object(["subject_code": .string(try subjectCode(id)), "party_id": .string(id)])
    }

    /// The outbound batch (出库批次): the lot's trace code, passed to the next stage,
    /// with the platforms' codes for it and the units or containers that moved.
    private func outbound(_ batch: BatchReference, units: [Serial] = [], containers: [SSCC] = []) throws(ServiceError) -> JSONValue {
        guard case .object(var members) = Self.batchCode(batch) else { return Self.batchCode(batch) }
        let codes = try aliases(batch.key)
        if !codes.isEmpty { members["aliases"] = .array(codes.map(JSONValue.string)) }
        if !units.isEmpty { members["units"] = .array(units.map { .string($0.rawValue) }) }
        if !containers.isEmpty { members["containers"] = .array(containers.map { .string($0.rawValue) }) }
        return .object(members)
    }

    /// A lot as a batch (入库批次 or 出库批次): its GS1 element string is the trace code.
    static func batchCode(_ batch: BatchReference) -> JSONValue {
        .object(["trace_code": .string(batch.description), "gtin": .string(batch.gtin.rawValue), "lot": .string(batch.lot.rawValue)])
    }

    private static func origin(_ origin: Origin) -> JSONValue {
        .object(["division": .string(origin.division.rawValue), "place": .string(origin.place),
                 "lat": .string(origin.latitude.description), "lon": .string(origin.longitude.description)])
    }

    private static func member(_ object: JSONValue, _ name: String) -> JSONValue {
        guard case .object(let members) = object, let value = members[name] else { return .object([:]) }
        return value
    }
}

/// An object's members being filled in.
struct Members {
    private(set) var members: [String: JSONValue] = [:]
    subscript(name: String) -> JSONValue? {
        get { members[name] }
        set { members[name] = newValue }
    }
    var value: JSONValue { .object(members) }
}
