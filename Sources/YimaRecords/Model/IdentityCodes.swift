import YimaCrypto

/// 统一社会信用代码, the unified social credit code of a legal person or other
/// organisation (GB 32100-2015): 18 characters from the 31-character set
/// `0-9 A-H J-N P-R T-U W-Y` (no I, O, S, V, Z):
///
/// | position | content |
/// |---|---|
/// | 1 | registration authority (登记管理部门): 1–9, A, N or Y |
/// | 2 | organisation type (机构类别): 1–9 |
/// | 3–8 | administrative division code of the registering authority (digits) |
/// | 9–17 | organisation code (主体标识码, GB 11714) |
/// | 18 | check character |
///
/// The check character: with character values 0–30 in the set's order and
/// weights 3^(i) mod 31 = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10,
/// 30, 28 for positions 1–17, C18 = 31 − (Σ value × weight mod 31), 31 → 0.
public struct UnifiedSocialCreditCode: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    /// The 31 characters in value order.
    public static let characters = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// Registration authority codes in GB 32100-2015 and its implementing tables.
    static let authorities = Array("123456789ANY".utf8)

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        let bytes = Array(candidate.utf8)
        guard bytes.count == 18 else {
            return RecordsMessage.creditCodeLength.texts()
        }
        var values = [Int]()
        for byte in bytes {
            guard let value = characters.firstIndex(of: byte) else {
                return RecordsMessage.creditCodeCharacter.texts()
            }
            values.append(value)
        }
        guard authorities.contains(bytes[0]), (1...9).contains(values[1]) else {
            return RecordsMessage.creditCodeAuthority.texts()
        }
        guard bytes[2..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return RecordsMessage.creditCodeDivision.texts()
        }
        let expected = checkCharacter(values.prefix(17))
        guard bytes[17] == expected else {
            return RecordsMessage.creditCodeCheckCharacter.texts(["expected": Character(Unicode.Scalar(expected))])
        }
        return nil
    }

    static func checkCharacter(_ values: ArraySlice<Int>) -> UInt8 {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return characters[(31 - sum % 31) % 31]
    }
}

/// 公民身份号码, a resident identity card number (GB 11643-1999): 6-digit address
/// code, 8-digit birth date YYYYMMDD, 3-digit sequence, and a check character by
/// ISO 7064 MOD 11-2: weights 2^(18−i) mod 11 = 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
/// 10, 5, 8, 4, 2; check = (12 − Σ mod 11) mod 11, with 10 written X.
///
/// Personal information (个人信息保护法): records never carry it. Validate it here,
/// then put only its `PersonalIDDigest` in a record.
public struct ResidentIdentityNumber: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        let bytes = Array(candidate.utf8)
        guard bytes.count == 18, String(decoding: bytes.prefix(17), as: UTF8.self).isASCIIDigits,
              bytes[17] == UInt8(ascii: "X") || (bytes[17] >= 0x30 && bytes[17] <= 0x39) else {
            return RecordsMessage.identityNumberShape.texts()
        }
        let birth = String(decoding: bytes[6..<14], as: UTF8.self)
        guard (try? CalendarDate("\(birth.prefix(4))-\(birth.dropFirst(4).prefix(2))-\(birth.suffix(2))")) != nil else {
            return RecordsMessage.identityNumberBirthDate.texts()
        }
        let sum = zip(bytes.prefix(17), weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 }
        let check = (12 - sum % 11) % 11
        let expected = check == 10 ? UInt8(ascii: "X") : UInt8(0x30 + check)
        guard bytes[17] == expected else {
            return RecordsMessage.identityNumberCheckCharacter.texts()
        }
        return nil
    }
}

/// What a record carries for a natural person's identity number: a salted SHA-256,
/// never the number itself (docs/records.md §Personal information).
///
/// `sha256` = SHA-256 over the ASCII bytes of `salt` (32 lowercase hex digits, 16
/// random bytes) immediately followed by the 18-character number (check `X`
/// uppercase): `printf '%s%s' "$salt" "$id" | sha256sum`. Whoever already knows the
/// number (a regulator checking a licence) can confirm a match; the salt stops one
/// precomputed table from unmasking every record. The number space is small
/// (about 10^11 plausible numbers), so this is pseudonymisation, not anonymity: a
/// determined attacker with one record's salt can brute-force that one record.
public struct PersonalIDDigest: Sendable, Hashable {
    public let salt: String
    public let sha256: String

    public init(salt: String, sha256: String, field: String = "") throws(RecordError) {
        guard salt.utf8.count == 32, RecordID(hex: salt + salt) != nil else {
            throw RecordError.invalid(field.isEmpty ? "salt" : "\(field).salt", .personalIDSalt)
        }
        guard RecordID(hex: sha256) != nil else {
            throw RecordError.invalid(field.isEmpty ? "sha256" : "\(field).sha256", .personalIDDigest)
        }
        self.salt = salt
        self.sha256 = sha256
    }

    /// Digests `number` with a fresh random salt.
    public init(number: ResidentIdentityNumber) {
        self.init(number: number, salt: Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) }))
    }

    /// Digests `number` with a given salt (32 lowercase hex digits).
    public init(number: ResidentIdentityNumber, salt: String) {
        self.salt = salt
        sha256 = Hex.encode(Digest.sha256(Array((salt + number.rawValue).utf8)))
    }

    /// Whether this digest is of `number`.
    public func matches(_ number: ResidentIdentityNumber) -> Bool {
        PersonalIDDigest(number: number, salt: salt).sha256 == sha256
    }

    var json: JSONValue { .object(["salt": .string(salt), "sha256": .string(sha256)]) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> PersonalIDDigest {
        var reader = try ObjectReader(value, path: path)
        let digest = try PersonalIDDigest(salt: reader.string("salt"), sha256: reader.string("sha256"), field: path)
        try reader.finish()
        return digest
    }
}

/// A party's identifier, chosen at registration and referenced by events
/// (`actor`, `from`, `to`...): 1–64 characters from A–Z a–z 0–9 `.` `_` `-` `:`,
/// starting with a letter or digit. Using the credit code is a good choice for an
/// organisation; for a person choose something that is not their ID number.
public struct PartyID: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        func alphanumeric(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
        let bytes = Array(candidate.utf8)
        guard (1...64).contains(bytes.count), alphanumeric(bytes[0]),
              bytes.allSatisfy({ alphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D || $0 == 0x3A }) else {
            return RecordsMessage.partyIDShape.texts()
        }
        return nil
    }
}

/// A 12-digit 统计用区划代码 (National Bureau of Statistics statistical division
/// code) down to village level: province (2), prefecture (2), county (2),
/// township (3), village/community (3). The province must be one of the codes of
/// GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82).
public struct DivisionCode: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    static let provinces: Set<Substring> = Set(
        ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
         "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
         "71", "81", "82"])

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        guard candidate.utf8.count == 12, candidate.isASCIIDigits else {
            return RecordsMessage.divisionCodeShape.texts()
        }
        guard provinces.contains(candidate.prefix(2)) else {
            return RecordsMessage.divisionCodeProvince.texts()
        }
        return nil
    }

    /// The 6-digit county-level part.
    public var county: String { String(rawValue.prefix(6)) }
}
