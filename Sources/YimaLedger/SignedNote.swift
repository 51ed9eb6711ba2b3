import YimaCrypto

/// One signature line of a note: `— <key name> <base64(key ID || signature)>`.
public struct NoteSignature: Hashable, Sendable {
    public let keyName: String
    /// The key ID, big-endian on the wire.
    public let keyID: UInt32
    /// The signature bytes after the key ID.
    public let signature: [UInt8]

    public init(keyName: String, keyID: UInt32, signature: [UInt8]) {
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    /// The signature line, em dash (U+2014) first, newline last.
    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
        return "\u{2014} \(keyName) \(Base64.encode(id + signature))\n"
    }
}

/// A signed note (c2sp.org/signed-note): a text ending in a newline, a blank
/// line, and one or more signature lines.
public struct SignedNote: Hashable, Sendable {
    /// Verifiers accept notes up to this many bytes.
    public static let maximumByteCount = 1 << 20
    /// Verifiers accept up to this many signature lines (the spec's floor is 16).
    public static let maximumSignatureCount = 100
    /// Verifiers accept signature lines up to this many bytes (room for a
    /// post-quantum signature of about 5 kB in base64).
    public static let maximumSignatureLineByteCount = 8192

    /// The signed text, final newline included, separating blank line excluded.
    public let text: String
    public let signatures: [NoteSignature]

    /// A note of `text` (validated) with `signatures` (at least one).
    public init(text: String, signatures: [NoteSignature]) throws(NoteError) {
        try validateNoteText(text)
        guard !signatures.isEmpty else { throw .missingSignatures }
        for signature in signatures { try validateKeyName(signature.keyName) }
        self.text = text
        self.signatures = signatures
    }

    /// Parses a note from its bytes, which must be valid UTF-8.
    public init(parsing bytes: [UInt8]) throws(NoteError) {
        guard bytes.count <= Self.maximumByteCount else {
            throw .noteTooLarge(byteCount: bytes.count, limit: Self.maximumByteCount)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        try self.init(parsing: text)
    }

    /// Parses a note. The text is everything up to the last blank line; each
    /// following line must be a well-formed signature line.
    public init(parsing note: String) throws(NoteError) {
        let bytes = Array(note.utf8)
        guard bytes.count <= Self.maximumByteCount else {
            throw .noteTooLarge(byteCount: bytes.count, limit: Self.maximumByteCount)
        }
        try checkControlCharacters(bytes)
        guard bytes.last == 0x0A else { throw .missingFinalNewline }
        // The text ends at the last "\n\n": its first newline ends the text.
        var split: Int? = nil
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { split = index; break }
            index -= 1
        }
        guard let split else { throw .missingSignatures }
        let textBytes = bytes[...split]
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw .missingSignatures }
        // 1-based line number in the whole note of the first signature line.
        var lineNumber = textBytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 2
        var signatures = [NoteSignature]()
        for line in block.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            guard signatures.count < Self.maximumSignatureCount else {
                throw .tooManySignatures(count: block.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) },
                                         limit: Self.maximumSignatureCount)
            }
            signatures.append(try Self.parseSignatureLine(line, lineNumber: lineNumber))
            lineNumber += 1
        }
        self.text = String(decoding: textBytes, as: UTF8.self)
        self.signatures = signatures
    }

    private static let emDashSpace: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    private static func parseSignatureLine(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(NoteError) -> NoteSignature {
        guard line.count <= maximumSignatureLineByteCount else {
            throw .lineTooLong(lineNumber: lineNumber, byteCount: line.count, limit: maximumSignatureLineByteCount)
        }
        guard line.starts(with: emDashSpace) else {
            throw .malformedSignatureLine(lineNumber: lineNumber, reason: "does not start with \"\u{2014} \"")
        }
        let rest = line.dropFirst(emDashSpace.count)
        let fields = rest.split(separator: 0x20, omittingEmptySubsequences: false)
        guard fields.count == 2 else {
            throw .malformedSignatureLine(lineNumber: lineNumber, reason: "expected a key name and a signature separated by one space")
        }
        let name = String(decoding: fields[0], as: UTF8.self)
        try validateKeyName(name)
        let encoded = String(decoding: fields[1], as: UTF8.self)
        guard let decoded = Base64.decode(encoded), Base64.encode(decoded) == encoded else {
            throw .malformedSignatureLine(lineNumber: lineNumber, reason: "signature is not canonical standard base64")
        }
        guard decoded.count > 4 else {
            throw .malformedSignatureLine(lineNumber: lineNumber, reason: "signature is \(decoded.count) bytes, shorter than a key ID and a signature")
        }
        let keyID = decoded.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(keyName: name, keyID: keyID, signature: Array(decoded.dropFirst(4)))
    }

    /// The note as text: the text, a blank line, the signature lines.
    public var serialized: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// This note with one more signature (a cosignature, or a second algorithm).
    public func adding(_ signature: NoteSignature) throws(NoteError) -> SignedNote {
        try SignedNote(text: text, signatures: signatures + [signature])
    }

    /// Verifies the note against `verifiers` (c2sp.org/signed-note §"Signatures"):
    /// signatures from unknown keys (name and key ID not both matching a verifier)
    /// are ignored; a signature from a known key that does not verify rejects the
    /// note (`badSignature`); at least one must verify (else `unknownKey`).
    public func verify(with verifiers: [NoteVerifier]) throws(NoteError) -> VerifiedNote {
        var verifiedBy = [NoteVerifier]()
        var unknown = [NoteSignature]()
        for signature in signatures {
            guard let verifier = verifiers.first(where: { $0.name == signature.keyName && $0.keyID == signature.keyID }) else {
                unknown.append(signature)
                continue
            }
            guard verifier.isValidSignature(signature.signature, for: text) else {
                throw .badSignature(keyName: signature.keyName, keyID: signature.keyID)
            }
            if !verifiedBy.contains(verifier) { verifiedBy.append(verifier) }
        }
        guard !verifiedBy.isEmpty else {
            throw .unknownKey(unknown.map { "\($0.keyName)+\(hex8($0.keyID))" })
        }
        return VerifiedNote(text: text, verifiedBy: verifiedBy, unknownSignatures: unknown)
    }

    /// Parses and verifies a note in one step.
    public static func open(_ note: String, verifiers: [NoteVerifier]) throws(NoteError) -> VerifiedNote {
        try SignedNote(parsing: note).verify(with: verifiers)
    }
}

/// A note whose text is signed by at least one known key.
public struct VerifiedNote: Hashable, Sendable {
    /// The text, now safe to act on.
    public let text: String
    /// The known keys whose signatures verified, in signature order.
    public let verifiedBy: [NoteVerifier]
    /// Signatures from keys the caller did not know (ignored, kept for callers
    /// that count witness cosignatures or log them).
    public let unknownSignatures: [NoteSignature]
}

/// A note text: non-empty, ends in a newline, no ASCII control characters but newline.
func validateNoteText(_ text: String) throws(NoteError) {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { throw .emptyText }
    guard bytes.count <= SignedNote.maximumByteCount else {
        throw .noteTooLarge(byteCount: bytes.count, limit: SignedNote.maximumByteCount)
    }
    try checkControlCharacters(bytes)
    guard bytes.last == 0x0A else { throw .missingFinalNewline }
}

func checkControlCharacters(_ bytes: [UInt8]) throws(NoteError) {
    if let offset = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
        throw .controlCharacter(byteOffset: offset)
    }
}
