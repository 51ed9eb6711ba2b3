import Foundation
import Testing
import YimaCrypto
import YimaLedger
import YimaTestSupport

/// docs/issuance-commitment.md against its vectors (docs/test-vectors/issuance-v1/,
/// written with Python's hashlib from the document, not by Yima).
@Suite struct IssuanceCommitmentVectorTests {
    struct Unit: Decodable { let serial: String; let signature_hex: String }
    struct Proof: Decodable { let serial: String; let leaf_index: Int64; let hashes_hex: [String] }
    struct Tree: Decodable {
        let name: String; let units: [Unit]; let order: [String]; let leaf_hashes_hex: [String]
        let count: Int64; let root_hex: String; let proofs: [Proof]
    }
    struct Refused: Decodable { let why: String; let units: [Unit] }
    struct RefusedProof: Decodable {
        let why: String; let tree: String; let serial: String; let leaf_index: Int64; let hashes_hex: [String]
        let signature_hex: String?
    }
    struct Vectors: Decodable { let trees: [Tree]; let refused: [Refused]; let proofs_refused: [RefusedProof] }

    static let vectors: Vectors = {
        let url = Repository.root.appendingPathComponent("docs/test-vectors/issuance-v1/vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static func units(_ units: [Unit]) -> [(serial: String, signature: [UInt8])] {
        units.map { ($0.serial, Hex.decode($0.signature_hex)!) }
    }

    @Test(arguments: vectors.trees.map(\.name))
    func rootLeavesAndProofs(name: String) throws {
        let tree = try #require(Self.vectors.trees.first { $0.name == name })
        let units = Self.units(tree.units)
        #expect(try IssuanceCommitment.root(of: units).hex == tree.root_hex)
        // Incrementally, in the commitment order, as issuance builds it.
        let ordered = units.sorted { IssuanceCommitment.precedes($0.serial, $1.serial) }
        #expect(ordered.map(\.serial) == tree.order)
        var builder = IssuanceCommitment.Builder()
        var leafHashes: [TreeHash] = []
        for unit in ordered {
            try builder.append(serial: unit.serial, signature: unit.signature)
            leafHashes.append(try IssuanceCommitment.leafHash(serial: unit.serial, signature: unit.signature))
        }
        #expect(builder.count == tree.count)
        #expect(try builder.root().hex == tree.root_hex)
        #expect(leafHashes.map(\.hex) == tree.leaf_hashes_hex)
        let root = try #require(TreeHash(hex: tree.root_hex))
        for proof in tree.proofs {
            let made = IssuanceCommitment.inclusionProof(leafIndex: Int(proof.leaf_index), leafHashes: leafHashes)
            #expect(made.hashes.map(\.hex) == proof.hashes_hex, "\(name) leaf \(proof.leaf_index)")
            try made.verify(leafHash: leafHashes[Int(proof.leaf_index)], root: root)
        }
    }

    @Test func setsWithoutACommitmentAreRefused() {
        for refused in Self.vectors.refused {
            #expect(throws: IssuanceCommitment.Problem.self, "\(refused.why)") {
                try IssuanceCommitment.root(of: Self.units(refused.units))
            }
        }
    }

    @Test func drawnOutOfOrderTheBuilderRefuses() throws {
        let tree = try #require(Self.vectors.trees.first { $0.count == 3 })
        var builder = IssuanceCommitment.Builder()
        let units = Self.units(tree.units)
        try builder.append(serial: units[0].serial, signature: units[0].signature)
        #expect(throws: IssuanceCommitment.Problem.self) { try builder.append(serial: units[1].serial, signature: units[1].signature) }
    }

    @Test func refusedProofsDoNotVerify() throws {
        for refused in Self.vectors.proofs_refused {
            let tree = try #require(Self.vectors.trees.first { $0.name == refused.tree })
            let unit = try #require(tree.units.first { $0.serial == refused.serial })
            let signature = Hex.decode(refused.signature_hex ?? unit.signature_hex)!
            let leaf = try IssuanceCommitment.leafHash(serial: unit.serial, signature: signature)
            let proof = InclusionProof(leafIndex: refused.leaf_index, treeSize: tree.count,
                                       hashes: refused.hashes_hex.map { TreeHash(hex: $0)! })
            #expect(throws: ProofError.self, "\(refused.why)") { try proof.verify(leafHash: leaf, root: TreeHash(hex: tree.root_hex)!) }
        }
    }
}
