import YimaCodes

/// A GTIN-14 (GS1 AI 01): 14 digits ending in the GS1 mod-10 check digit
/// (GS1 General Specifications §7.9.1). Shorter GTINs are written left-padded with
/// zeros to 14 digits, as GS1 Digital Link does.
///
/// Producers without a GS1 company prefix get a **county-assigned code**
/// (docs/records.md §Product codes): `0` + `29` + the 6-digit county-level
/// 统计用区划代码 + a 4-digit item number + check digit. GTIN-13 prefixes 20–29 are
/// GS1 Restricted Circulation Numbers (General Specifications §2.1.11), never
/// allocated to a company prefix, so such a code cannot collide with any real GTIN.
public struct GTIN: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    /// The prefix of every county-assigned code: indicator 0, RCN prefix 29.
    public static let countyAssignedPrefix = "029"

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        guard candidate.utf8.count == 14, candidate.isASCIIDigits else {
            return RecordsMessage.gtinShape.texts()
        }
        guard GS1CheckDigit.isValid(candidate) else {
            let expected = GS1CheckDigit.expected(for: candidate) ?? 0
            return RecordsMessage.gtinCheckDigit.texts(["expected": expected])
        }
        return nil
    }

    /// Whether this is a county-assigned code rather than a GS1-allocated GTIN.
    public var isCountyAssigned: Bool { rawValue.hasPrefix(Self.countyAssignedPrefix) }

    /// The county-level division code (6 digits) of a county-assigned code.
    public var countyCode: String? {
        guard isCountyAssigned else { return nil }
        return String(rawValue.dropFirst(3).prefix(6))
    }

    /// A county-assigned code for item `item` (0…9999) of county `county`
    /// (the 6-digit county-level 统计用区划代码, e.g. "610523").
    public static func countyAssigned(county: String, item: Int) throws(RecordError) -> GTIN {
        guard county.utf8.count == 6, county.isASCIIDigits else {
            throw RecordError.invalid("county", .countyCodeShape)
        }
        guard (0...9999).contains(item) else {
            throw RecordError.invalid("item", .countyItemRange)
        }
        let body = countyAssignedPrefix + county + String(repeating: "0", count: 4 - String(item).count) + String(item)
        return GTIN(uncheckedRawValue: body + String(GS1CheckDigit.compute(forPayload: body)!))
    }
}

/// A Serial Shipping Container Code (GS1 AI 00): 18 digits ending in the GS1
/// mod-10 check digit. Identifies a carton or a pallet.
public struct SSCC: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        guard candidate.utf8.count == 18, candidate.isASCIIDigits else {
            return RecordsMessage.ssccShape.texts()
        }
        guard GS1CheckDigit.isValid(candidate) else {
            let expected = GS1CheckDigit.expected(for: candidate) ?? 0
            return RecordsMessage.ssccCheckDigit.texts(["expected": expected])
        }
        return nil
    }
}

/// A batch or lot (GS1 AI 10), or a unit serial (AI 21), in the unit-code
/// alphabet: A–Z, 0–9 and '-', 1 to 20 characters (`UnitCodeAlphabet`).
public struct Lot: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        UnitCodeAlphabet.isValid(candidate) ? nil
            : RecordsMessage.lotShape.texts()
    }
}

/// A unit's serial (GS1 AI 21), same alphabet as `Lot`.
public typealias Serial = Lot
