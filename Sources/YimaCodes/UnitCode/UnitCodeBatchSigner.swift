import YimaCrypto

/// Signs many codes of one GTIN and lot on one thread: the GTIN and lot are checked
/// once, the constant parts of the signed message and the URI are laid out once,
/// and each code costs one signature plus a few appends.
///
/// Each instance owns private copies of everything it touches per code, so workers
/// on different cores share no reference-counted buffers (whose atomic counts
/// would otherwise bounce between cores on every code). Not thread-safe: make one
/// per worker.
public final class UnitCodeBatchSigner {
    private let signer: Signer
    private let messagePrefix: [UInt8]
    private let uriPrefix: [UInt8]
    private let keyHint: UInt32

    public init(issuer: UnitCodeIssuer, gtin: String, lot: String) throws {
        try UnitCodeIssuer.validate(gtin: gtin, lot: lot)
        signer = try Signer(issuer.key)
        // The message and URI up to the serial; `signedMessage` and `uri` define them.
        let template = UnitCode.signedMessage(keyID: issuer.key.id, gtin: gtin, lot: lot, serial: "")
        messagePrefix = Array(template.dropLast())
        uriPrefix = Array("\(issuer.base.description)/01/\(gtin)/10/\(lot)/21/".utf8)
        keyHint = issuer.key.id.short
    }

    /// Signs the code for `serial` and returns it exactly as `UnitCode.uri` would.
    public func issue(serial: String) throws -> String {
        try sign(serial: serial).uri
    }

    /// The signature for `serial` and the code carrying it.
    public func sign(serial: String) throws -> (signature: [UInt8], uri: String) {
        guard UnitCodeAlphabet.isValid(serial) else { throw UnitCodeError.invalidValue(ai: "21", value: serial) }
        var message = messagePrefix
        message += serial.utf8
        message.append(UInt8(ascii: "\n"))
        let signature = try signer.sign(message)
        var uri = [UInt8]()
        uri.reserveCapacity(uriPrefix.count + serial.utf8.count + 4 + UnitCode.parameterDigits)
        uri += uriPrefix
        uri += serial.utf8
        uri += "?\(UnitCode.signatureParameter)=".utf8
        UnitCode.appendSignatureParameter(keyHint: keyHint, signature: signature, to: &uri)
        return (signature, String(decoding: uri, as: UTF8.self))
    }
}
