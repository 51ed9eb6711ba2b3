import Foundation
import Testing
import YimaLedger
import YimaService
import YimaStore
import YimaTestSupport

/// Signed checkpoints of the store's log: they verify with the log's key, cover every
/// record, and the log refuses to sign over a rewritten history.
@Suite struct CheckpointTests {
    @Test(arguments: Engine.all) func checkpointsCoverEveryRecordAndGrowConsistently(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let key = try farm.data.logKey()
        let origin = try farm.data.logOrigin(proposed: "trace.county.example/log")
        let first = try farm.transparency.signCheckpoint(origin: origin, key: key, previous: nil)
        let verifier = try NoteVerifier(name: origin, publicKey: key.publicKey)
        let opened = try Checkpoint.open(first.note, verifiers: [verifier]).checkpoint
        #expect(opened == first.checkpoint)
        #expect(opened.treeSize == (try farm.store.recordCount()))
        // The root is the RFC 9162 hash of the stored envelopes, computed here independently.
        let envelopes = try farm.store.records(kind: .party) + farm.store.records(kind: .product)
            + farm.store.records(kind: .batch) + farm.store.records(kind: .event)
        let leaves = envelopes.sorted { $0.sequence < $1.sequence }.map { MerkleHash.leaf($0.envelope) }
        #expect(opened.rootHash == MerkleHash.treeHash(leafHashes: leaves))
        try farm.data.saveCheckpoint(first.note, origin: origin)

        _ = try farm.issue(2)
        let previous = try farm.data.latestCheckpoint(origin: origin, key: key)
        let second = try farm.transparency.signCheckpoint(origin: origin, key: key, previous: previous)
        #expect(second.checkpoint.treeSize == opened.treeSize + 1)
    }

    @Test func refusesToSignOverARewrittenLog() throws {
        let farm = try Farm()
        let key = try farm.data.logKey()
        let first = try farm.transparency.signCheckpoint(origin: "o/log", key: key, previous: nil)
        let sql = "DROP TRIGGER ledger_is_append_only_u; UPDATE ledger_hashes SET hash = zeroblob(32);"
        #expect(try run("sqlite3", [farm.dir.file("data/yima.sqlite"), sql]).status == 0)
        #expect(throws: ServiceError.self) {
            try farm.transparency.signCheckpoint(origin: "o/log", key: key, previous: first.checkpoint)
        }
        // A smaller previous checkpoint whose root is not a prefix of this log is refused too.
        let shrunk = try Checkpoint(origin: "o/log", treeSize: first.checkpoint.treeSize + 5, rootHash: first.checkpoint.rootHash)
        #expect(throws: ServiceError.self) { try farm.transparency.signCheckpoint(origin: "o/log", key: key, previous: shrunk) }
    }
}
