/// The kind of produce, which decides where restricted pesticides apply
/// (Rules/banned-pesticides.json `scope`).
public enum ProductCategory: String, Sendable, Hashable, CaseIterable {
    case vegetable, fruit, tea, grain, oilseed, mushroom, herb, livestock, aquatic, other
}

/// A 三品一标 certificate: 无公害农产品 (pollution_free), 绿色食品 (green),
/// 有机产品 (organic), 农产品地理标志 (geographical_indication).
public struct Certificate: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case pollutionFree = "pollution_free"
        case green
        case organic
        case geographicalIndication = "geographical_indication"
    }

    public var kind: Kind
    public var number: String
    public var issuer: String
    public var validFrom: CalendarDate
    public var validUntil: CalendarDate

    public init(kind: Kind, number: String, issuer: String, validFrom: CalendarDate, validUntil: CalendarDate) throws(RecordError) {
        self.kind = kind
        self.number = number
        self.issuer = issuer
        self.validFrom = validFrom
        self.validUntil = validUntil
        try validate(at: "certificates")
    }

    func validate(at path: String) throws(RecordError) {
        try FieldText.check(number, at: "\(path).number", maximumLength: 64)
        try FieldText.check(issuer, at: "\(path).issuer")
        guard validFrom <= validUntil else {
            throw RecordError.invalid("\(path).valid_until", .productValidUntil)
        }
    }

    /// Whether the certificate is valid on `date`.
    public func isValid(on date: CalendarDate) -> Bool { validFrom <= date && date <= validUntil }

    var json: JSONValue {
        .object(["type": .string(kind.rawValue), "number": .string(number), "issuer": .string(issuer),
                 "valid_from": validFrom.json, "valid_until": validUntil.json])
    }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Certificate {
        var reader = try ObjectReader(value, path: path)
        let type = try reader.string("type")
        guard let kind = Kind(rawValue: type) else {
            throw RecordError.invalid("\(path).type", .productCertificateTypeUnknown, ["type": type])
        }
        let certificate = try Certificate(unchecked: kind, number: reader.string("number"), issuer: reader.string("issuer"),
                                          validFrom: reader.parsed("valid_from", CalendarDate.parse),
                                          validUntil: reader.parsed("valid_until", CalendarDate.parse))
        try certificate.validate(at: path)
        try reader.finish()
        return certificate
    }

    private init(unchecked kind: Kind, number: String, issuer: String, validFrom: CalendarDate, validUntil: CalendarDate) {
        self.kind = kind
        self.number = number
        self.issuer = issuer
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// A product record (`"kind":"product"`): what is sold, identified by its GTIN-14
/// or a county-assigned code (`GTIN.countyAssigned`).
public struct Product: Sendable, Hashable {
    public var gtin: GTIN
    /// The name in Chinese, as on the label.
    public var name: String
    public var nameEnglish: String?
    public var variety: String?
    public var category: ProductCategory
    public var certificates: [Certificate]

    public init(gtin: GTIN, name: String, nameEnglish: String? = nil, variety: String? = nil,
                category: ProductCategory, certificates: [Certificate] = []) throws(RecordError) {
        self.gtin = gtin
        self.name = name
        self.nameEnglish = nameEnglish
        self.variety = variety
        self.category = category
        self.certificates = certificates
        try FieldText.check(name, at: "name")
        if let nameEnglish { try FieldText.check(nameEnglish, at: "name_en") }
        if let variety { try FieldText.check(variety, at: "variety") }
    }

    public var json: JSONValue {
        var out = ObjectWriter()
        out["v"] = .integer(Record.payloadVersion)
        out["kind"] = "product"
        out["gtin"] = gtin.json
        out["name"] = .string(name)
        out["name_en"] = nameEnglish.map(JSONValue.string)
        out["variety"] = variety.map(JSONValue.string)
        out["category"] = .string(category.rawValue)
        out["certificates"] = .array(certificates.map(\.json))
        return out.value
    }

    init(reading reader: inout ObjectReader) throws(RecordError) {
        gtin = try reader.parsed("gtin", GTIN.parse)
        name = try reader.text("name")
        nameEnglish = try reader.optionalText("name_en")
        variety = try reader.optionalText("variety")
        let category = try reader.string("category")
        guard let parsed = ProductCategory(rawValue: category) else {
            throw RecordError.invalid("category", .productCategoryUnknown, ["category": category])
        }
        self.category = parsed
        certificates = try ObjectReader.elements(reader.array("certificates"), at: "certificates", Certificate.parse)
    }
}
