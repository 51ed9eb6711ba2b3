import Testing
@testable import YimaLedger
import YimaTestSupport

@Suite struct MerklePropertyTests {
    /// The RFC 6962 reference leaves and MTH table from conformance/merkle/SOURCES.md.
    @Test func referenceTreeHeads() throws {
        let leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
        let expected = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ]
        var store = InMemoryHashStore()
        var leafHashes = [TreeHash]()
        for (i, hex) in leaves.enumerated() {
            let entry = try #require(hexBytes(hex))
            leafHashes.append(MerkleHash.leaf(entry))
            store.append(entry: entry)
            #expect(MerkleHash.treeHash(leafHashes: leafHashes).hex == expected[i], "naive MTH of \(i + 1)")
            #expect(try StoredHashes.treeHash(treeSize: Int64(i + 1), reader: store).hex == expected[i], "stored MTH of \(i + 1)")
        }
        #expect(MerkleHash.emptyTree.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try StoredHashes.treeHash(treeSize: 0, reader: store) == MerkleHash.emptyTree)
    }

    @Test func storedHashLayout() throws {
        // (0,0) (0,1) (1,0) (0,2) (0,3) (1,1) (2,0), as documented.
        let order: [(Int, Int64)] = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0)]
        for (position, address) in order.enumerated() {
            #expect(StoredHashes.index(level: address.0, index: address.1) == Int64(position))
        }
        #expect(StoredHashes.count(treeSize: 4) == 7)
        // The generic reader path stores exactly what the in-memory store stores.
        var log = TestLog(size: 0)
        for n in 0..<300 {
            let leaf = MerkleHash.leaf(Array("entry \(n)".utf8))
            let newHashes = try StoredHashes.hashesToStore(forLeaf: Int64(n), leafHash: leaf, reader: log.store)
            #expect(StoredHashes.indexesToRead(forLeaf: Int64(n)).count == Int64(n).trailingNonzeroBitCount)
            let before = log.store.hashes.count
            #expect(Int64(before) == StoredHashes.count(treeSize: Int64(n)))
            log.append(Array("entry \(n)".utf8))
            #expect(Array(log.store.hashes[before...]) == newHashes, "leaf \(n)")
        }
        #expect(Int64(log.store.hashes.count) == StoredHashes.count(treeSize: 300))
        // Every stored hash is the naive MTH of the subtree it names.
        for level in 0..<9 {
            for index in 0..<Int64(300 >> level) {
                let lo = Int(index) << level
                let hash = log.store.hashes[Int(StoredHashes.index(level: level, index: index))]
                #expect(hash == MerkleHash.treeHash(leafHashes: log.leafHashes[lo..<lo + (1 << level)]))
            }
        }
    }

    @Test(arguments: 1...64) func treeHashFromStoredHashesMatchesRecursiveDefinition(size: Int) throws {
        let log = TestLog(size: size)
        for n in 0...size {
            #expect(try StoredHashes.treeHash(treeSize: Int64(n), reader: log.store) == log.root(n))
        }
    }

    @Test(arguments: 1...64) func everyInclusionProofVerifiesAndEveryMutantFails(size: Int) throws {
        let log = TestLog(size: size)
        let root = log.root(size)
        for m in 0..<size {
            let proof = try InclusionProof.generate(leafIndex: Int64(m), treeSize: Int64(size), reader: log.store)
            #expect(proof.hashes == ReferenceProofs.path(m, log.leafHashes[0..<size]), "PATH(\(m), D[\(size)])")
            #expect(proof.hashes.count == InclusionProof.expectedLength(leafIndex: Int64(m), treeSize: Int64(size)))
            try proof.verify(leafHash: log.leafHashes[m], root: root)
            // One expectation per proof, not per mutant: Swift Testing's
            // per-expectation cost would dominate the run.
            let survivors = mutations(of: proof.hashes, extra: log.leafHashes[0]).filter { _, hashes in
                let mutant = InclusionProof(leafIndex: Int64(m), treeSize: Int64(size), hashes: hashes)
                return (try? mutant.verify(leafHash: log.leafHashes[m], root: root)) != nil
            }
            #expect(survivors.isEmpty, "mutants of PATH(\(m), D[\(size)]) that verify: \(survivors.map(\.label))")
            // The right proof for the wrong leaf, or against the wrong root, fails too.
            if size > 1 {
                #expect(throws: ProofError.self) {
                    try proof.verify(leafHash: log.leafHashes[(m + 1) % size], root: root)
                }
            }
            #expect(throws: ProofError.self) { try proof.verify(leafHash: log.leafHashes[m], root: log.root(size - 1)) }
        }
        #expect(throws: ProofError.leafIndexOutOfRange(leafIndex: Int64(size), treeSize: Int64(size))) {
            try InclusionProof.generate(leafIndex: Int64(size), treeSize: Int64(size), reader: log.store)
        }
    }

    @Test(arguments: 1...64) func everyConsistencyProofVerifiesAndEveryMutantFails(size: Int) throws {
        let log = TestLog(size: size)
        let newRoot = log.root(size)
        for m in 1...size {
            let oldRoot = log.root(m)
            let proof = try ConsistencyProof.generate(oldSize: Int64(m), newSize: Int64(size), reader: log.store)
            #expect(proof.hashes == ReferenceProofs.proof(m, log.leafHashes[0..<size]), "PROOF(\(m), D[\(size)])")
            #expect(proof.hashes.count == ConsistencyProof.expectedLength(oldSize: Int64(m), newSize: Int64(size)))
            try proof.verify(oldRoot: oldRoot, newRoot: newRoot)
            let survivors = mutations(of: proof.hashes, extra: log.leafHashes[0]).filter { _, hashes in
                let mutant = ConsistencyProof(oldSize: Int64(m), newSize: Int64(size), hashes: hashes)
                return (try? mutant.verify(oldRoot: oldRoot, newRoot: newRoot)) != nil
            }
            #expect(survivors.isEmpty, "mutants of PROOF(\(m), D[\(size)]) that verify: \(survivors.map(\.label))")
            if m < size {
                #expect(throws: ProofError.self) { try proof.verify(oldRoot: log.root(m + 1), newRoot: newRoot) }
            }
            #expect(throws: ProofError.self) { try proof.verify(oldRoot: oldRoot, newRoot: log.root(size - 1 == 0 ? 0 : size - 1)) }
        }
    }

    /// A few larger trees, random indexes and sizes (fixed seed).
    @Test(arguments: [1_000, 4_097, 65_537]) func randomProofsOnLargerTrees(size: Int) throws {
        var random = SplitMix64(seed: UInt64(size))
        let log = TestLog(size: size)
        let root = try StoredHashes.treeHash(treeSize: Int64(size), reader: log.store)
        #expect(root == log.root(size))
        for _ in 0..<50 {
            let m = Int.random(in: 0..<size, using: &random)
            let proof = try InclusionProof.generate(leafIndex: Int64(m), treeSize: Int64(size), reader: log.store)
            try proof.verify(leafHash: log.leafHashes[m], root: root)
            let oldSize = Int.random(in: 1...size, using: &random)
            let oldRoot = try StoredHashes.treeHash(treeSize: Int64(oldSize), reader: log.store)
            let consistency = try ConsistencyProof.generate(oldSize: Int64(oldSize), newSize: Int64(size), reader: log.store)
            try consistency.verify(oldRoot: oldRoot, newRoot: root)
            let survivors = mutations(of: consistency.hashes, extra: root).filter { _, hashes in
                (try? ConsistencyProof(oldSize: Int64(oldSize), newSize: Int64(size), hashes: hashes)
                    .verify(oldRoot: oldRoot, newRoot: root)) != nil
            }
            #expect(survivors.isEmpty, "mutants of PROOF(\(oldSize), D[\(size)]) that verify: \(survivors.map(\.label))")
        }
    }
}

func hexBytes(_ hex: String) -> [UInt8]? {
    var bytes = [UInt8]()
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return bytes
}
