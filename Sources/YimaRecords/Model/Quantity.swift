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
        let name: RecordsMessage = switch self {
        case .kilogram: .unitKilogram
        case .gram: .unitGram
        case .tonne: .unitTonne
        case .litre: .unitLitre
        case .millilitre: .unitMillilitre
        case .piece: .unitPiece
        case .squareMetre: .unitSquareMetre
        case .hectare: .unitHectare
        }
        return name.text(in: chinese ? .chinese : .english)
    }
}

/// An amount: `{"unit":"KGM","value":"1250"}`, the value a non-negative decimal string.
public struct Quantity: Sendable, Hashable {
    public var value: DecimalString
    public var unit: UnitOfMeasure

    public init(value: DecimalString, unit: UnitOfMeasure) throws(RecordError) {
        guard !value.isNegative else { throw RecordError.invalid("value", .notNegative) }
        self.value = value
        self.unit = unit
    }

    var json: JSONValue { .object(["value": value.json, "unit": .string(unit.rawValue)]) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Quantity {
        var reader = try ObjectReader(value, path: path)
        let amount = try reader.parsed("value", DecimalString.parse)
        guard !amount.isNegative else { throw RecordError.invalid("\(path).value", .notNegative) }
        let code = try reader.string("unit")
        guard let unit = UnitOfMeasure(rawValue: code) else {
            throw RecordError.invalid("\(path).unit") { language in
                let codes = UnitOfMeasure.allCases.map(\.rawValue).joined(separator: RecordsMessage.listSeparator.text(in: language))
                return RecordsMessage.unitOfMeasureUnknown.text(in: language, ["codes": codes])
            }
        }
        try reader.finish()
        return Quantity(unchecked: amount, unit: unit)
    }

    private init(unchecked value: DecimalString, unit: UnitOfMeasure) {
        self.value = value
        self.unit = unit
    }
}
