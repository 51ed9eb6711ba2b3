import Foundation
import YimaCrypto
import YimaLedger
import YimaRecords

/// What an auditor remembers between audits (docs/checkpoint.md §Auditing): the
/// log's pinned verifier key, the last checkpoint it verified, and that tree's
/// right edge (`CompactRange`), from which the next audit recomputes the new root
/// out of the new entries alone.
///
///     {"checkpoint":"<signed note>","format":"yima-audit-state/1",
///      "log_key":"<vkey>","right_edge":["<base64 hash>", …]}
public struct AuditState: Equatable, Sendable {
    public static let format = "yima-audit-state/1"

    public let logKey: NoteVerifier
    /// The signed checkpoint note last verified.
    public let note: String
    public let checkpoint: Checkpoint
    public let rightEdge: CompactRange

    public init(logKey: NoteVerifier, note: String, checkpoint: Checkpoint, rightEdge: CompactRange) {
        self.logKey = logKey
        self.note = note
        self.checkpoint = checkpoint
        self.rightEdge = rightEdge
    }

    /// Canonical JSON, ending in a newline.
    public var encoded: [UInt8] {
        CanonicalJSON.encode(.object([
            "format": .string(Self.format), "log_key": .string(logKey.verifierKey), "checkpoint": .string(note),
            "right_edge": .array(rightEdge.hashes.map { .string($0.base64) }),
        ])) + [0x0A]
    }

    /// Reads a state file, checking everything it says against itself: the note
    /// verifies with the pinned key and the right edge folds to its root.
    public init(decoding bytes: [UInt8], file: String) throws(VerificationFailure) {
        func bad(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> VerificationFailure {
            VerificationFailure("state") { ServiceMessage.pathProblem.text(in: $0, ["path": file, "reason": message.text(in: $0, arguments)]) }
        }
        guard case .object(let members)? = try? CanonicalJSON.parse(bytes),
              case .string(Self.format)? = members["format"],
              case .string(let key)? = members["log_key"], case .string(let note)? = members["checkpoint"],
              case .array(let edge)? = members["right_edge"] else {
            throw bad(.auditStateWrongFormat, ["format": Self.format])
        }
        do {
            let verifier = try NoteVerifier(verifierKey: key)
            let checkpoint = try Checkpoint.open(note, verifiers: [verifier]).checkpoint
            let hashes = try edge.map { value throws -> TreeHash in
                guard case .string(let text) = value, let hash = TreeHash(base64: text) else {
                    throw ProofError.badHashLength(.proofNode(0), byteCount: 0)
                }
                return hash
            }
            let range = try CompactRange(size: checkpoint.treeSize, hashes: hashes)
            guard range.root == checkpoint.rootHash else {
                throw ProofError.rootMismatch(expected: checkpoint.rootHash, computed: range.root)
            }
            self.init(logKey: verifier, note: note, checkpoint: checkpoint, rightEdge: range)
        } catch {
            throw bad(.auditStateInvalid, ["reason": error])
        }
    }

    /// Writes the state atomically (a new file renamed over the old), so a crash
    /// or a failure never leaves half a state.
    public func save(to path: String) throws(ServiceError) {
        do {
            try Data(encoded).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .output(.auditStateCannotSave, ["path": path, "reason": error.localizedDescription])
        }
    }
}
