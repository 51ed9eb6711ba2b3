import Foundation
import Testing
import YimaCrypto
import YimaLedger
import YimaStore
import YimaTestSupport

/// The store's Merkle log agrees with the RFC 9162 definition computed independently
/// from the stored envelopes, and its proofs verify.
@Suite struct StoreLedgerTests {
    @Test(arguments: Engine.all) func logMatchesRecordsAndProofsVerify(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
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
    @Test(arguments: Engine.all) func failedAppendAddsNoLeaf(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
        let envelope = Array("one".utf8)
        let record = NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677", envelope: envelope)
        _ = try store.append(record, expectedHead: nil)
        let root = try store.treeHash(size: 1)
        #expect(throws: StoreError.duplicateRecord(id: Hex.encode(Digest.sha256(envelope)))) {
            try store.append(record, expectedHead: nil)
        }
        #expect(try store.treeSize() == 1)
        #expect(try store.treeHash(size: 1) == root)
        let hashes = try database.sql("SELECT COUNT(*) FROM ledger_hashes")
        #expect(hashes.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    /// The engines store the same hashes for the same records, so a checkpoint signed
    /// over one verifies over the other (and `yima migrate` can compare roots).
    @Test(arguments: Engine.postgresOnly) func enginesAgreeOnEveryStoredHash(_ engine: Engine) throws {
        // The EngineStores own the databases (a temporary folder goes with its owner).
        let sqliteDatabase = try EngineStore(.sqlite), otherDatabase = try EngineStore(engine)
        let sqlite = sqliteDatabase.store, other = otherDatabase.store
        // Some appended one by one, some in one transaction (the in-memory edge path).
        let records = (0..<37).map { index in
            let envelope = Array("record \(index)".utf8)
            return NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677", envelope: envelope)
        }
        for store in [sqlite, other] {
            for record in records[..<10] { _ = try store.append(record, expectedHead: nil) }
            _ = try store.appendAll(records[10...].map { ($0, nil) })
        }
        let stored = StoredHashes.count(treeSize: 37)
        #expect(try other.logHashes(Array(0..<stored)) == sqlite.logHashes(Array(0..<stored)))
        #expect(try other.entries(0..<37) == sqlite.entries(0..<37))
        for size: Int64 in [1, 16, 37] {
            #expect(try other.treeHash(size: size) == sqlite.treeHash(size: size))
            #expect(try other.inclusionProof(leaf: size / 3, treeSize: size) == sqlite.inclusionProof(leaf: size / 3, treeSize: size))
        }
        #expect(try other.consistencyProof(oldSize: 11, newSize: 37) == sqlite.consistencyProof(oldSize: 11, newSize: 37))
        #expect(throws: StoreError.ledger("leaves 30..<40 are not all stored")) { try other.entries(30..<40) }
    }
}
