import YimaCrypto

/// 农药登记证号, a pesticide registration certificate number, checked for shape
/// only: a prefix `PD` (正式登记), `LS` (临时登记), `WP` / `WL` (卫生用), or the
/// older `PDN` / `WPN`, then digits, optionally a `-` and a 1–3 digit suffix as old
/// numbers have (e.g. `PD20080123`, `LS20150012`, `PD85150-43`). Whether the
/// number is registered is for the 中国农药信息网 database, not this check.
public struct PesticideRegistrationNumber: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        let bad = RecordsMessage.pesticideRegistrationShape.texts()
        guard let prefix = ["PDN", "WPN", "PD", "LS", "WP", "WL"].first(where: { candidate.hasPrefix($0) }) else { return bad }
        let rest = candidate.dropFirst(prefix.count)
        let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard let number = parts.first, (2...8).contains(number.count), String(number).isASCIIDigits else { return bad }
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), String(parts[1]).isASCIIDigits else { return bad }
        } else if parts.count > 2 || (prefix == "PD" || prefix == "LS") && number.count != 8 {
            return bad
        }
        return nil
    }
}

/// A pesticide dose as written on the label, e.g. `{"unit":"毫升/亩","value":"30"}`
/// (per-area doses have no UN/CEFACT Rec 20 code, so the unit is text).
public struct Dose: Sendable, Hashable {
    public var value: DecimalString
    public var unit: String

    public init(value: DecimalString, unit: String) {
        self.value = value
        self.unit = unit
    }

    var json: JSONValue { .object(["value": value.json, "unit": .string(unit)]) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Dose {
        var reader = try ObjectReader(value, path: path)
        let dose = try Dose(value: reader.parsed("value", DecimalString.parse), unit: reader.text("unit", maximumLength: 20))
        try reader.finish()
        return dose
    }
}

/// `input_application` with `"input":"pesticide"`.
public struct PesticideApplication: Sendable, Hashable {
    /// The product's name as registered, e.g. "吡虫啉" or a trade name.
    public var name: String
    public var registrationNumber: PesticideRegistrationNumber
    /// 有效成分, e.g. "吡虫啉 10%".
    public var activeIngredient: String
    public var dose: Dose
    /// e.g. "喷雾" (spraying).
    public var method: String
    public var date: CalendarDate
    /// 安全间隔期: days from the last application to the earliest allowed harvest.
    public var safetyIntervalDays: Int

    public init(name: String, registrationNumber: PesticideRegistrationNumber, activeIngredient: String, dose: Dose,
                method: String, date: CalendarDate, safetyIntervalDays: Int) {
        self.name = name
        self.registrationNumber = registrationNumber
        self.activeIngredient = activeIngredient
        self.dose = dose
        self.method = method
        self.date = date
        self.safetyIntervalDays = safetyIntervalDays
    }

    /// The first day a harvest is allowed: the application date plus the interval.
    public var earliestHarvestDate: CalendarDate { date.adding(days: safetyIntervalDays) }
}

/// `input_application` with `"input":"fertilizer"`.
public struct FertilizerApplication: Sendable, Hashable {
    public var name: String
    /// e.g. "有机肥", "复合肥", "尿素".
    public var type: String
    public var amount: Quantity
    public var date: CalendarDate

    public init(name: String, type: String, amount: Quantity, date: CalendarDate) {
        self.name = name
        self.type = type
        self.amount = amount
        self.date = date
    }
}

/// One measured item of an inspection report.
public struct InspectionItem: Sendable, Hashable {
    /// e.g. "毒死蜱".
    public var name: String
    /// The test method standard, e.g. "GB 23200.113-2018".
    public var method: String
    /// The result as reported: a decimal string or text such as "未检出" (not detected).
    public var result: String
    /// The limit it is judged against, e.g. "0.02" (GB 2763), if any.
    public var limit: String?
    /// e.g. "mg/kg".
    public var unit: String?
    public var pass: Bool

    public init(name: String, method: String, result: String, limit: String? = nil, unit: String? = nil, pass: Bool) {
        self.name = name
        self.method = method
        self.result = result
        self.limit = limit
        self.unit = unit
        self.pass = pass
    }
}

/// What a packing event aggregates: unit serials into a carton, or cartons onto a pallet.
public enum PackingContents: Sendable, Hashable {
    /// `"units"`: serials (GS1 AI 21) of this batch's unit codes.
    case units([Serial])
    /// `"cartons"`: SSCCs of cartons.
    case cartons([SSCC])
}

/// The data of each event type (docs/records.md §Events).
public enum EventData: Sendable, Hashable {
    /// `{"method"?, "area"? (Quantity in MTK or HAR), "note"?}`
    case planting(method: String?, area: Quantity?, note: String?)
    case pesticide(PesticideApplication)
    case fertilizer(FertilizerApplication)
    /// `{"activity": irrigation|pruning|pest_observation|weeding|other, "note"?, "photo_sha256"?}`
    case care(activity: CareActivity, note: String?, photoSHA256: String?)
    /// `{"date", "quantity"}`
    case harvest(date: CalendarDate, quantity: Quantity)
    /// `{"laboratory", "items", "pass", "report_number"}`; `pass` must be the
    /// conjunction of the items' `pass`.
    case inspection(laboratory: PartyID, items: [InspectionItem], pass: Bool, reportNumber: String)
    /// `{"count", "kid", "units_root", "unit_quantity"?}`: `count` unit codes signed
    /// with key `kid` were issued; `units_root` commits to which.
    case unitIssuance(UnitIssuance)
    /// `{"sscc", "units" | "cartons"}`: the SSCC the contents go into.
    case packing(sscc: SSCC, contents: PackingContents)
    /// `{"location", "temperature"? (°C, decimal string), "note"?}`
    case storing(location: String, temperature: DecimalString?, note: String?)
    /// `{"from", "to", "carrier", "units"?, "sscc"?}`
    case shipping(from: PartyID, to: PartyID, carrier: PartyID, units: [Serial], containers: [SSCC])
    /// `{"from", "units"?, "sscc"?}`
    case receiving(from: PartyID, units: [Serial], containers: [SSCC])
    /// `{"location"?, "quantity"?}`
    case retailSelling(location: String?, quantity: Quantity?)
    /// `{"reason", "action", "units"?}`: the whole batch, or only the units listed.
    case recall(reason: String, action: String, units: [Serial] = [])
    /// `{"corrects", "reason", "replacement"?}`: record ids.
    case correction(corrects: RecordID, reason: String, replacement: RecordID?)
    /// `{"number", "quantity", "basis", "contact", "sources"?}` (docs/records.md §Certificate).
    case certificate(ComplianceCertificate)
    /// `{"code", "platform", "serial"?}` (docs/records.md §External trace codes).
    case externalCode(ExternalTraceCode)
    /// `{"certificate", "from", "quantity"?}`: a buyer received a certificate of this batch.
    case certificateReceipt(CertificateReceipt)

    public var type: EventType {
        switch self {
        case .planting: .planting
        case .pesticide, .fertilizer: .inputApplication
        case .care: .care
        case .harvest: .harvest
        case .inspection: .inspection
        case .unitIssuance: .unitIssuance
        case .packing: .packing
        case .storing: .storing
        case .shipping: .shipping
        case .receiving: .receiving
        case .retailSelling: .retailSelling
        case .recall: .recall
        case .correction: .correction
        case .certificate: .certificate
        case .externalCode: .externalCode
        case .certificateReceipt: .certificateReceipt
        }
    }

    /// Serials this event handles (packs, ships or receives).
    public var unitSerials: [Serial] {
        switch self {
        case .packing(_, .units(let units)), .shipping(_, _, _, let units, _), .receiving(_, let units, _),
             .recall(_, _, let units): units
        default: []
        }
    }
}

/// Field work recorded as `care`.
public enum CareActivity: String, Sendable, Hashable, CaseIterable {
    case irrigation, pruning, weeding, other
    case pestObservation = "pest_observation"
}
