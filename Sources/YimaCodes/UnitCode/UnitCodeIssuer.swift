import YimaCrypto

/// Signs unit codes with one issuer key under one resolver base.
public struct UnitCodeIssuer: Sendable {
    public let key: PrivateKey
    public let base: ResolverBase

    public init(key: PrivateKey, base: ResolverBase) {
        self.key = key
        self.base = base
    }

    /// Checks a GTIN and lot before any code is signed, so a bad batch fails early
    /// and whole.
    public static func validate(gtin: String, lot: String) throws(UnitCodeError) {
        guard gtin.utf8.count == 14, gtin.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalidValue(ai: "01", value: gtin)
        }
        guard GS1CheckDigit.isValid(gtin) else {
            throw .badCheckDigit(gtin: gtin, expected: GS1CheckDigit.expected(for: gtin) ?? 0)
        }
        guard UnitCodeAlphabet.isValid(lot) else { throw .invalidValue(ai: "10", value: lot) }
    }

    /// Signs one code; `serial` defaults to a fresh random serial. For many codes
    /// use a `UnitCodeBatchSigner` per thread.
    public func issue(gtin: String, lot: String, serial: String = UnitCodeAlphabet.randomSerial()) throws -> UnitCode {
        try Self.validate(gtin: gtin, lot: lot)
        guard UnitCodeAlphabet.isValid(serial) else { throw UnitCodeError.invalidValue(ai: "21", value: serial) }
        let message = UnitCode.signedMessage(keyID: key.id, gtin: gtin, lot: lot, serial: serial)
        let signature = try key.sign(message)
        return UnitCode(stem: base.description, gtin: gtin, lot: lot, serial: serial,
                        keyHint: key.id.short, signature: signature)
    }
}
