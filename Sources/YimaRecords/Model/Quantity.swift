/// A unit of measure by its UN/CEFACT Recommendation 20 common code. Only the
/// codes farm produce needs are accepted.
public enum UnitOfMeasure: String, Sendable, Hashable, CaseIterable {
    /// kilogram
    case kilogram = "KGM"
    /// gram
    case gram = "GRM"
    /// tonne (metric ton)
    case tonne = "TNE"
    /// litre
    case litre = "LTR"
    /// millilitre
    case millilitre = "MLT"
    /// piece
    case piece = "H87"
    /// square metre
    case squareMetre = "MTK"
    /// hectare
    case hectare = "HAR"

    public func name(in chinese: Bool) -> String {
        switch self {
        case .kilogram: chinese ? "千克" : "kg"
        case .gram: chinese ? "克" : "g"
        case .tonne: chinese ? "吨" : "t"
        case .litre: chinese ? "升" : "L"
        case .millilitre: chinese ? "毫升" : "mL"
        case .piece: chinese ? "个" : "pieces"
        case .squareMetre: chinese ? "平方米" : "m²"
        case .hectare: chinese ? "公顷" : "ha"
        }
    }
}

/// An amount: `{"unit":"KGM","value":"1250"}`, the value a non-negative decimal string.
public struct Quantity: Sendable, Hashable {
    public var value: DecimalString
    public var unit: UnitOfMeasure

    public init(value: DecimalString, unit: UnitOfMeasure) throws(RecordError) {
        guard !value.isNegative else { throw RecordError.invalid("value", zh: "不能为负", en: "must not be negative") }
        self.value = value
        self.unit = unit
    }

    var json: JSONValue { .object(["value": value.json, "unit": .string(unit.rawValue)]) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Quantity {
        var reader = try ObjectReader(value, path: path)
        let amount = try reader.parsed("value", DecimalString.parse)
        guard !amount.isNegative else { throw RecordError.invalid("\(path).value", zh: "不能为负", en: "must not be negative") }
        let code = try reader.string("unit")
        guard let unit = UnitOfMeasure(rawValue: code) else {
            throw RecordError.invalid("\(path).unit", zh: "计量单位应为 UN/CEFACT 第 20 号建议书代码之一：\(UnitOfMeasure.allCases.map(\.rawValue).joined(separator: "、"))",
                                      en: "unit should be one of the UN/CEFACT Rec 20 codes \(UnitOfMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try reader.finish()
        return Quantity(unchecked: amount, unit: unit)
    }

    private init(unchecked value: DecimalString, unit: UnitOfMeasure) {
        self.value = value
        self.unit = unit
    }
}
