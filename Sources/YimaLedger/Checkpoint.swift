/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note text that
/// commits a log, named by its origin, to the RFC 9162 root hash at a tree size.
///
/// ```
/// <origin>\n
/// <tree size, decimal, no leading zeros>\n
/// <root hash, standard base64>\n
/// [<extension line>\n ...]
/// ```
public struct Checkpoint: Hashable, Sendable {
    /// The log's identity, e.g. `yima.example/log`; non-empty, one line.
    public let origin: String
    public let treeSize: Int64
    public let rootHash: TreeHash
    /// Opaque, non-empty extra lines (NOT RECOMMENDED by the spec; they are not auditable).
    public let extensionLines: [String]

    public init(origin: String, treeSize: Int64, rootHash: TreeHash, extensionLines: [String] = []) throws(CheckpointError) {
        guard !origin.isEmpty else { throw .emptyOrigin }
        try Self.checkLine(origin, lineNumber: 1)
        guard treeSize >= 0 else { throw .malformedTreeSize(String(treeSize)) }
        for (offset, line) in extensionLines.enumerated() {
            guard !line.isEmpty else { throw .emptyExtensionLine(lineNumber: offset + 4) }
            try Self.checkLine(line, lineNumber: offset + 4)
        }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    private static func checkLine(_ line: String, lineNumber: Int) throws(CheckpointError) {
        guard !line.utf8.contains(where: { $0 < 0x20 }) else { throw .controlCharacter(lineNumber: lineNumber) }
    }

    /// Parses a checkpoint note text (as `SignedNote.text` or `VerifiedNote.text` holds it).
    public init(text: String) throws(CheckpointError) {
        guard text.utf8.last == 0x0A else { throw .missingFinalNewline }
        let lines = text.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw .tooFewLines(lines.count) }
        let sizeText = lines[1]
        guard let size = Int64(sizeText), sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              sizeText == "0" || !sizeText.hasPrefix("0") else {
            throw .malformedTreeSize(sizeText)
        }
        guard let root = TreeHash(base64: lines[2]), root.base64 == lines[2] else {
            throw .malformedRootHash(lines[2])
        }
        try self.init(origin: lines[0], treeSize: size, rootHash: root, extensionLines: Array(lines[3...]))
    }

    /// The note text, ending in a newline.
    public var text: String {
        var text = "\(origin)\n\(treeSize)\n\(rootHash.base64)\n"
        for line in extensionLines { text += line + "\n" }
        return text
    }

    /// The checkpoint signed by `signer` (whose key name SHOULD be the origin).
    public func signed(by signer: NoteSigner) throws(NoteError) -> SignedNote {
        try signer.sign(text)
    }

    /// Parses and verifies a signed checkpoint note; returns the checkpoint and
    /// the verification result. Throws `NoteError` or `CheckpointError`.
    public static func open(_ note: String, verifiers: [NoteVerifier]) throws -> (checkpoint: Checkpoint, note: VerifiedNote) {
        let verified = try SignedNote.open(note, verifiers: verifiers)
        return (try Checkpoint(text: verified.text), verified)
    }
}

/// Why a checkpoint text is malformed.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingFinalNewline
    /// Fewer than the three mandatory lines.
    case tooFewLines(Int)
    case emptyOrigin
    /// Not a decimal number without leading zeros in 0…Int64.max.
    case malformedTreeSize(String)
    /// Not the canonical standard base64 of 32 bytes.
    case malformedRootHash(String)
    /// Extension lines must be non-empty.
    case emptyExtensionLine(lineNumber: Int)
    /// A line holds a newline or another ASCII control character.
    case controlCharacter(lineNumber: Int)

    public var description: String {
        switch self {
        case .missingFinalNewline: "checkpoint text must end with a newline"
        case .tooFewLines(let count): "checkpoint has \(count) lines, needs origin, tree size and root hash"
        case .emptyOrigin: "checkpoint origin is empty"
        case .malformedTreeSize(let text): "malformed tree size \"\(text)\""
        case .malformedRootHash(let text): "malformed root hash \"\(text)\" (32 bytes, standard base64)"
        case .emptyExtensionLine(let line): "extension line \(line) is empty"
        case .controlCharacter(let line): "control character in checkpoint line \(line)"
        }
    }
}
