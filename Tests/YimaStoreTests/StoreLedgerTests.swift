import Foundation
import Testing
import YimaCrypto
import YimaLedger
import YimaStore
import YimaTestSupport

/// The store's Merkle log agrees with the RFC 9162 definition computed independently
/// from the stored envelopes, and its proofs verify.
@Suite struct StoreLedgerTests {
    @Test func logMatchesRecordsAndProofsVerify() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(directory: dir.path)
        var entries: [[UInt8]] = []
        for index in 0..<23 {
            let envelope = Array("envelope \(index) \(String(repeating: "x", count: index))".utf8)
            let record = NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677",
                                   envelope: envelope)
            let stored = try store.append(record, expectedHead: nil)
            #expect(stored.sequence == Int64(index))
            entries.append(envelope)
        }
        #expect(try store.treeSize() == 23)
        let leaves = entries.map { MerkleHash.leaf($0) }
        for size in 1...23 {
            let root = try store.treeHash(size: Int64(size))
            #expect(root == MerkleHash.treeHash(leafHashes: leaves.prefix(size)))
            for leaf in [0, size / 2, size - 1] {
                let proof = try store.inclusionProof(leaf: Int64(leaf), treeSize: Int64(size))
                try proof.verify(leafHash: leaves[leaf], root: root)
            }
            if size > 1 {
                let old = size / 2
                let proof = try store.consistencyProof(oldSize: Int64(old), newSize: Int64(size))
                try proof.verify(oldRoot: try store.treeHash(size: Int64(old)), newRoot: root)
            }
        }
    }

    /// A record that fails to store leaves no leaf behind.
    @Test func failedAppendAddsNoLeaf() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(directory: dir.path)
        let envelope = Array("one".utf8)
        let record = NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677", envelope: envelope)
        _ = try store.append(record, expectedHead: nil)
        let root = try store.treeHash(size: 1)
        #expect(throws: StoreError.duplicateRecord(id: Hex.encode(Digest.sha256(envelope)))) {
            try store.append(record, expectedHead: nil)
        }
        #expect(try store.treeSize() == 1)
        #expect(try store.treeHash(size: 1) == root)
        let hashes = try run("sqlite3", [dir.file("yima.sqlite"), "SELECT COUNT(*) FROM ledger_hashes"])
        #expect(hashes.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}
