import Foundation
import YimaCrypto
import YimaLedger
import YimaStore

/// The transparency log (docs/checkpoint.md, docs/bundle.md): signed checkpoints,
/// tiles, proofs and evidence bundles over the store's Merkle log.
///
/// Signed checkpoints of the store's Merkle log (docs/checkpoint.md): a C2SP
/// tlog-checkpoint in a signed note, which auditors keep and later prove the log
/// only grew from.
public struct Transparency: Sendable {
    let log: any TransparencyLog
    let records: any RecordStore
    let units: any UnitStore
    let resolver: CodeResolver
    let authorities: [PublicKey]

    /// Signs a checkpoint of the whole log. Refuses, naming why, when the log is not
    /// an append-only extension of `previous` (the last checkpoint this folder
    /// signed): the log never signs two checkpoints inconsistent with each other.
    public func signCheckpoint(origin: String, key: PrivateKey, previous: Checkpoint?) throws(ServiceError) -> (checkpoint: Checkpoint, note: String) {
        let size = try ServiceError.reading { try log.treeSize() }
        let root = try ServiceError.reading { try log.treeHash(size: size) }
        if let previous {
            guard previous.origin == origin else {
                throw .rejected(.notAuthorised, .signOtherLog, ["previous": previous.origin, "origin": origin])
            }
            guard previous.treeSize <= size else {
                throw .rejected(.notAuthorised, .signLogShrank, ["old": previous.treeSize, "size": size])
            }
            do {
                if previous.treeSize == size {
                    guard previous.rootHash == root else { throw ProofError.differentRootsForSameSize(size: size) }
                } else if previous.treeSize > 0 {
                    let proof = try log.consistencyProof(oldSize: previous.treeSize, newSize: size)
                    try proof.verify(oldRoot: previous.rootHash, newRoot: root)
                }
            } catch {
                throw .rejected(.notAuthorised, .signInconsistent, ["old": previous.treeSize, "reason": error])
            }
        }
        do {
            let checkpoint = try Checkpoint(origin: origin, treeSize: size, rootHash: root)
            let note = try checkpoint.signed(by: NoteSigner(name: origin, privateKey: key))
            return (checkpoint, note.serialized)
        } catch {
            throw .invalidArgument(.cannotSignCheckpoint, ["reason": error])
        }
    }
}
