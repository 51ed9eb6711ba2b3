/// Why a signed note (c2sp.org/signed-note) could not be parsed, signed or
/// verified. Every case names the failure; none carries key material.
public enum NoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The note is not valid UTF-8.
    case invalidUTF8
    /// An ASCII control character other than newline at this byte offset.
    case controlCharacter(byteOffset: Int)
    /// The note (or text to sign) is larger than the verifier accepts.
    case noteTooLarge(byteCount: Int, limit: Int)
    /// The note or the text does not end in a newline.
    case missingFinalNewline
    /// The note text is empty.
    case emptyText
    /// No blank line separates the text from signature lines, or none follow it.
    case missingSignatures
    /// A signature line is longer than the verifier accepts.
    case lineTooLong(lineNumber: Int, byteCount: Int, limit: Int)
    /// A signature line is not `— <name> <base64>`; `lineNumber` is 1-based in the note.
    case malformedSignatureLine(lineNumber: Int, reason: String)
    /// More signature lines than the verifier accepts.
    case tooManySignatures(count: Int, limit: Int)
    /// A key name is empty or contains a Unicode space or `+`.
    case invalidKeyName(String)
    /// A verifier key is not `<name>+<8 hex digits>+<base64 key>`.
    case malformedVerifierKey(String)
    /// A verifier key or signing key of a type this build does not handle.
    case unsupportedKeyType(String)
    /// A verifier key's declared key ID is not the hash of its name and key.
    case keyIDMismatch(keyName: String, declared: UInt32, computed: UInt32)
    /// No signature in the note is from a known key (none of these names and IDs).
    case unknownKey([String])
    /// A signature from a known key does not verify: the note is rejected.
    case badSignature(keyName: String, keyID: UInt32)
    /// The private key failed to sign.
    case signingFailed(String)

    public var description: String {
        switch self {
        case .invalidUTF8: "note is not valid UTF-8"
        case .controlCharacter(let offset): "control character at byte \(offset) (only newline is allowed)"
        case .noteTooLarge(let count, let limit): "note is \(count) bytes, limit \(limit)"
        case .missingFinalNewline: "note text must end with a newline"
        case .emptyText: "note text is empty"
        case .missingSignatures: "no signature lines after a blank line"
        case .lineTooLong(let line, let count, let limit): "line \(line) is \(count) bytes, limit \(limit)"
        case .malformedSignatureLine(let line, let reason): "malformed signature line \(line): \(reason)"
        case .tooManySignatures(let count, let limit): "\(count) signatures, limit \(limit)"
        case .invalidKeyName(let name): "invalid key name \"\(name)\" (empty, or contains a space or +)"
        case .malformedVerifierKey(let reason): "malformed verifier key: \(reason)"
        case .unsupportedKeyType(let what): "unsupported note key type: \(what)"
        case .keyIDMismatch(let name, let declared, let computed):
            "verifier key \(name) declares key ID \(hex8(declared)) but its key hashes to \(hex8(computed))"
        case .unknownKey(let names):
            names.isEmpty ? "note has no signatures from a known key"
                : "no signature from a known key (signed by: \(names.joined(separator: ", ")))"
        case .badSignature(let name, let id): "signature by \(name)+\(hex8(id)) does not verify"
        case .signingFailed(let why): "signing failed: \(why)"
        }
    }
}

/// Eight lowercase hex digits, as verifier keys spell a key ID.
func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
