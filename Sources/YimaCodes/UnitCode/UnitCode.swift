import YimaCrypto

/// A signed unit code, format version 1: one GS1 Digital Link URI per unit of
/// produce ("one product, one code"), specified in docs/code-format.md.
///
///     https://YIMA.EXAMPLE.COM/01/09506000134352/10/LOT7/21/K3M9Q2ZC7W1A?s=1<10 digits><155 digits>
///
/// The path is the GS1 Digital Link key and qualifiers (GTIN, lot, serial). The
/// non-GS1 query parameter `s` carries, in decimal, the format version (1 digit),
/// the short key id (10 digits) and the 64-byte signature (155 digits) over
/// `signedMessage`. Decimal keeps the signature in the QR numeric mode, which is
/// what brings a signed code down to QR version 9 at error correction level Q.
public struct UnitCode: Sendable, Hashable {
    /// The version this build writes. Parsing rejects any other.
    public static let formatVersion = 1
    /// The query parameter that carries version, key id and signature.
    public static let signatureParameter = "s"
    static let keyHintDigits = 10
    static let signatureDigits = DecimalCodec.digitCount(forBytes: SignatureAlgorithm.signatureLength)
    /// Digits in the `s` parameter: 1 + 10 + 155.
    public static let parameterDigits = 1 + keyHintDigits + signatureDigits

    /// Scheme, host and path prefix, as printed (e.g. `https://YIMA.EXAMPLE.COM`).
    public let stem: String
    /// GS1 AI (01): a GTIN-14 with a valid check digit.
    public let gtin: String
    /// GS1 AI (10): batch or lot, in the unit-code alphabet.
    public let lot: String
    /// GS1 AI (21): the unit's serial, in the unit-code alphabet.
    public let serial: String
    /// The first four bytes of the signing key's `KeyID`, as an integer.
    public let keyHint: UInt32
    /// The 64-byte signature (see `SignatureAlgorithm`).
    public let signature: [UInt8]

    public init(stem: String, gtin: String, lot: String, serial: String, keyHint: UInt32, signature: [UInt8]) {
        self.stem = stem
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.keyHint = keyHint
        self.signature = signature
    }

    /// The exact bytes a key signs for a unit (docs/code-format.md §Signed message):
    /// a domain-separating, versioned header line, then one line each for the full
    /// key id and the GS1 elements, every line ending in a newline.
    public static func signedMessage(keyID: KeyID, gtin: String, lot: String, serial: String) -> [UInt8] {
        var message = [UInt8]()
        message.reserveCapacity(96)
        message += "yima-code/\(formatVersion)\nkey ".utf8
        message += keyID.hex.utf8
        message += "\n01 ".utf8
        message += gtin.utf8
        message += "\n10 ".utf8
        message += lot.utf8
        message += "\n21 ".utf8
        message += serial.utf8
        message.append(UInt8(ascii: "\n"))
        return message
    }

    /// The GS1 Digital Link path, e.g. `/01/09506000134352/10/LOT7/21/K3M9Q2ZC7W1A`.
    public var path: String { "/01/\(gtin)/10/\(lot)/21/\(serial)" }

    /// The digits of the `s` parameter.
    public var signatureParameterValue: String {
        var digits = [UInt8]()
        appendSignatureParameter(to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }

    /// The code exactly as printed in the QR symbol.
    public var uri: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(stem.utf8.count + 60 + Self.parameterDigits)
        bytes += stem.utf8
        bytes += "/01/".utf8
        bytes += gtin.utf8
        bytes += "/10/".utf8
        bytes += lot.utf8
        bytes += "/21/".utf8
        bytes += serial.utf8
        bytes += "?\(Self.signatureParameter)=".utf8
        appendSignatureParameter(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendSignatureParameter(to bytes: inout [UInt8]) {
        Self.appendSignatureParameter(keyHint: keyHint, signature: signature, to: &bytes)
    }

    static func appendSignatureParameter(keyHint: UInt32, signature: [UInt8], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "0") + UInt8(Self.formatVersion))
        let hintStart = bytes.count
        bytes += repeatElement(UInt8(ascii: "0"), count: Self.keyHintDigits)
        var value = keyHint
        var index = hintStart + Self.keyHintDigits
        while value > 0 {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        DecimalCodec.encode(signature, into: &bytes)
    }
}

extension UnitCode: CustomStringConvertible {
    public var description: String { uri }
}
