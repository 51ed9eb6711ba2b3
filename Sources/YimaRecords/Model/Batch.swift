import YimaCodes
/// Where a batch grew: `{"division":"610523101201","place":"...","lat":"34.2712","lon":"109.9513"}`.
/// Coordinates are WGS 84 decimal degrees as decimal strings (GCJ-02 map
/// coordinates must be converted before recording).
public struct Origin: Sendable, Hashable {
    public var division: DivisionCode
    /// The base or plot name, e.g. "桥南镇王家村 3 号地块".
    public var place: String
    public var latitude: DecimalString
    public var longitude: DecimalString

    public init(division: DivisionCode, place: String, latitude: DecimalString, longitude: DecimalString) throws(RecordError) {
        self.division = division
        self.place = place
        self.latitude = latitude
        self.longitude = longitude
        try validate(at: "origin")
    }

    func validate(at path: String) throws(RecordError) {
        try FieldText.check(place, at: "\(path).place")
        guard abs(latitude.doubleValue) <= 90 else {
            throw RecordError.invalid("\(path).lat", .latitudeRange)
        }
        guard abs(longitude.doubleValue) <= 180 else {
            throw RecordError.invalid("\(path).lon", .longitudeRange)
        }
    }

    var json: JSONValue {
        .object(["division": division.json, "place": .string(place), "lat": latitude.json, "lon": longitude.json])
    }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Origin {
        var reader = try ObjectReader(value, path: path)
        let origin = try Origin(unchecked: reader.parsed("division", DivisionCode.parse), place: reader.string("place"),
                            latitude: reader.parsed("lat", DecimalString.parse), longitude: reader.parsed("lon", DecimalString.parse))
        try origin.validate(at: path)
        try reader.finish()
        return origin
    }

    private init(unchecked division: DivisionCode, place: String, latitude: DecimalString, longitude: DecimalString) {
        self.division = division
        self.place = place
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A batch record (`"kind":"batch"`): one lot of one product from one origin in
/// one season. Events name it by GTIN and lot; its record id starts the chain of
/// its events (the first event's `prev`).
public struct Batch: Sendable, Hashable {
    public var gtin: GTIN
    public var lot: Lot
    /// The party responsible for the batch (usually the producer that signs it).
    public var owner: PartyID
    public var origin: Origin
    /// The growing season as the producer names it, e.g. "2026" or "2026 春茶".
    public var season: String
    /// The expected or declared quantity.
    public var quantity: Quantity

    public init(gtin: GTIN, lot: Lot, owner: PartyID, origin: Origin, season: String, quantity: Quantity) throws(RecordError) {
        self.gtin = gtin
        self.lot = lot
        self.owner = owner
        self.origin = origin
        self.season = season
        self.quantity = quantity
        try FieldText.check(season, at: "season", maximumLength: 40)
    }

    /// The batch reference events carry.
    public var reference: BatchReference { BatchReference(gtin: gtin, lot: lot) }

    public var json: JSONValue {
        .object(["v": .integer(Record.payloadVersion), "kind": "batch", "gtin": gtin.json, "lot": lot.json,
                 "owner": owner.json, "origin": origin.json, "season": .string(season), "quantity": quantity.json])
    }

    init(reading reader: inout ObjectReader) throws(RecordError) {
        gtin = try reader.parsed("gtin", GTIN.parse)
        lot = try reader.parsed("lot", Lot.parse)
        owner = try reader.parsed("owner", PartyID.parse)
        origin = try reader.parsed("origin", Origin.parse)
        season = try reader.text("season", maximumLength: 40)
        quantity = try reader.parsed("quantity", Quantity.parse)
    }
}

/// How an event names its batch: `{"gtin":"...","lot":"..."}`.
public struct BatchReference: Sendable, Hashable, CustomStringConvertible {
    public var gtin: GTIN
    public var lot: Lot

    public init(gtin: GTIN, lot: Lot) {
        self.gtin = gtin
        self.lot = lot
    }

    public var description: String { "(01)\(gtin)(10)\(lot)" }

    var json: JSONValue { .object(["gtin": gtin.json, "lot": lot.json]) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> BatchReference {
        var reader = try ObjectReader(value, path: path)
        let reference = try BatchReference(gtin: reader.parsed("gtin", GTIN.parse), lot: reader.parsed("lot", Lot.parse))
        try reader.finish()
        return reference
    }
}

extension BatchReference {
    /// `GTIN/LOT` (`BatchKey`): how the command line, the store and the API name a batch.
    public var key: String { BatchKey(gtin: gtin.rawValue, lot: lot.rawValue).description }

    /// Parses `GTIN/LOT` (a `--batch` option), checking the GTIN's check digit and the lot's characters.
    public init(key: String, field: String = "batch") throws(RecordError) {
        guard let parsed = BatchKey(parsing: key) else {
            throw RecordError(field: field, problem: .invalid(zh: "应为 GTIN/批号，例如 06901234567892/LOT1",
                                                              en: "expected GTIN/LOT, e.g. 06901234567892/LOT1"))
        }
        self.init(gtin: try GTIN(parsed.gtin, field: "\(field).gtin"), lot: try Lot(parsed.lot, field: "\(field).lot"))
    }

    /// The store's path of one unit of this batch: `GTIN/LOT/SERIAL` (packing records name units so).
    public func unitPath(_ serial: String) -> String { BatchKey(gtin: gtin.rawValue, lot: lot.rawValue).unit(serial).description }
}
