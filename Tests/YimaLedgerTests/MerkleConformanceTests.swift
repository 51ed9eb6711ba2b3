import Foundation
import Testing
import YimaCrypto
import YimaTestSupport
@testable import YimaLedger

/// Runs every transparency-dev/merkle proof vector in
/// Tests/Conformance/merkle (see SOURCES.md there): 98 inclusion and 98
/// consistency files, each either verifying or, with `wantErr`, rejected.
@Suite struct MerkleConformanceTests {
    static let merkleFolder = Repository.conformance.appendingPathComponent("merkle")

    struct InclusionVector: Decodable {
        // uint64 on the wire: one vector uses 2^64 − 1 as a leaf index.
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    struct ConsistencyVector: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    static func jsonFiles(_ folder: String) -> [URL] {
        let base = merkleFolder.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
    }

    static func bytes(_ base64: String) throws -> [UInt8] {
        try #require(Base64.decode(base64), "not base64: \(base64)")
    }

    /// Runs one inclusion file; returns nil when the outcome matches `wantErr`.
    static func runInclusion(_ url: URL) throws -> String? {
        let vector = try JSONDecoder().decode(InclusionVector.self, from: Data(contentsOf: url))
        let outcome: ProofError?
        do {
            // Sizes and indexes are Int64 (SQLite INTEGER); a uint64 beyond
            // Int64.max is beyond any tree, which is the rejection.
            guard let leafIndex = Int64(exactly: vector.leafIdx), let treeSize = Int64(exactly: vector.treeSize) else {
                return vector.wantErr ? nil : "\(url.lastPathComponent): index or size beyond Int64 but wantErr is false"
            }
            try InclusionProof.verify(leafIndex: leafIndex, treeSize: treeSize,
                                      leafHash: bytes(vector.leafHash),
                                      proof: (vector.proof ?? []).map(bytes), root: bytes(vector.root))
            outcome = nil
        } catch let error as ProofError {
            outcome = error
        }
        if vector.wantErr == (outcome != nil) { return nil }
        return "\(url.lastPathComponent) (\(vector.desc)): wantErr \(vector.wantErr), got \(outcome.map { "\($0)" } ?? "success")"
    }

    static func runConsistency(_ url: URL) throws -> String? {
        let vector = try JSONDecoder().decode(ConsistencyVector.self, from: Data(contentsOf: url))
        let outcome: ProofError?
        do {
            guard let oldSize = Int64(exactly: vector.size1), let newSize = Int64(exactly: vector.size2) else {
                return vector.wantErr ? nil : "\(url.lastPathComponent): size beyond Int64 but wantErr is false"
            }
            try ConsistencyProof.verify(oldSize: oldSize, newSize: newSize,
                                        oldRoot: bytes(vector.root1), newRoot: bytes(vector.root2),
                                        proof: (vector.proof ?? []).map(bytes))
            outcome = nil
        } catch let error as ProofError {
            outcome = error
        }
        if vector.wantErr == (outcome != nil) { return nil }
        return "\(url.lastPathComponent) (\(vector.desc)): wantErr \(vector.wantErr), got \(outcome.map { "\($0)" } ?? "success")"
    }

    @Test func everyVectorFileIsRun() throws {
        let inclusion = Self.jsonFiles("inclusion")
        let consistency = Self.jsonFiles("consistency")
        // A missing or renamed folder must fail, not pass vacuously.
        #expect(inclusion.count == 98)
        #expect(consistency.count == 98)
        #expect(inclusion.count + consistency.count == 196)

        var failures = [String]()
        var accepted = 0, rejected = 0
        for url in inclusion {
            if let failure = try Self.runInclusion(url) { failures.append("inclusion/" + failure) }
        }
        for url in consistency {
            if let failure = try Self.runConsistency(url) { failures.append("consistency/" + failure) }
        }
        for url in inclusion + consistency {
            let text = try String(contentsOf: url, encoding: .utf8)
            if text.contains("\"wantErr\": true") { rejected += 1 } else { accepted += 1 }
        }
        #expect(failures.isEmpty, "\(failures.count) vectors disagree:\n\(failures.joined(separator: "\n"))")
        #expect(accepted + rejected == 196)
    }

    /// The specific conventions SOURCES.md lists, with the precise error each gets.
    @Test func conventionsGivePreciseErrors() throws {
        let leaf = MerkleHash.leaf([])
        #expect(throws: ProofError.badHashLength(.leaf, byteCount: 0)) {
            try InclusionProof.verify(leafIndex: 0, treeSize: 1, leafHash: [], proof: [], root: leaf.bytes)
        }
        #expect(throws: ProofError.leafIndexOutOfRange(leafIndex: 1, treeSize: 1)) {
            try InclusionProof(leafIndex: 1, treeSize: 1, hashes: []).verify(leafHash: leaf, root: leaf)
        }
        #expect(throws: ProofError.oldSizeIsZero) {
            try ConsistencyProof(oldSize: 0, newSize: 0, hashes: []).verify(oldRoot: MerkleHash.emptyTree, newRoot: MerkleHash.emptyTree)
        }
        #expect(throws: ProofError.oldSizeExceedsNewSize(oldSize: 2, newSize: 1)) {
            try ConsistencyProof(oldSize: 2, newSize: 1, hashes: []).verify(oldRoot: leaf, newRoot: leaf)
        }
        #expect(throws: ProofError.differentRootsForSameSize(size: 1)) {
            try ConsistencyProof(oldSize: 1, newSize: 1, hashes: []).verify(oldRoot: leaf, newRoot: MerkleHash.emptyTree)
        }
        #expect(throws: ProofError.wrongProofLength(expected: 0, actual: 1)) {
            try ConsistencyProof(oldSize: 1, newSize: 1, hashes: [leaf]).verify(oldRoot: leaf, newRoot: leaf)
        }
        #expect(throws: ProofError.badHashLength(.proofNode(1), byteCount: 31)) {
            try ConsistencyProof.verify(oldSize: 1, newSize: 4, oldRoot: leaf.bytes, newRoot: leaf.bytes,
                                        proof: [leaf.bytes, Array(leaf.bytes.dropLast())])
        }
    }
}
