import Foundation
import Testing
@testable import YimaLedger

/// docs/checkpoint.md's worked example must be exactly what this code produces
/// (Ed25519 signatures are deterministic, so the signed note is too).
///
/// Each example block in the doc is a fenced code block right after a line
/// `<!-- example: NAME -->`; its content, with a final newline, is compared.
@Suite struct CheckpointDocumentationTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/checkpoint.md")

    static let origin = "yima.example/ledger-test"
    static let entriesHex = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]

    /// The example blocks as the code generates them.
    static func generatedExamples() throws -> [String: String] {
        var store = InMemoryHashStore()
        for hex in entriesHex { store.append(entry: hexBytes(hex)!) }
        var layout = ""
        for level in 0...3 {
            for index in 0..<Int64(8 >> level) {
                let position = StoredHashes.index(level: level, index: index)
                layout += "\(position) (\(level),\(index)) \(store.hashes[Int(position)].hex)\n"
            }
        }
        let sortedLayout = layout.split(separator: "\n").sorted {
            Int($0.split(separator: " ")[0])! < Int($1.split(separator: " ")[0])!
        }.joined(separator: "\n") + "\n"
        let root = try StoredHashes.treeHash(treeSize: 8, reader: store)
        let inclusion = try InclusionProof.generate(leafIndex: 5, treeSize: 8, reader: store)
        let consistency = try ConsistencyProof.generate(oldSize: 3, newSize: 8, reader: store)
        let signer = try SignedNoteTests.fixtureSigner(name: origin)
        let checkpoint = try Checkpoint(origin: origin, treeSize: 8, rootHash: root)
        return [
            "stored-hashes": sortedLayout,
            "tree-head": "size 8 root \(root.hex)\n",
            "inclusion-proof": inclusion.hashes.map { $0.hex + "\n" }.joined(),
            "consistency-proof": consistency.hashes.map { $0.hex + "\n" }.joined(),
            "verifier-key": signer.verifier.verifierKey + "\n",
            "signed-checkpoint": try checkpoint.signed(by: signer).serialized,
        ]
    }

    static func documentedExamples() throws -> [String: String] {
        let lines = try String(contentsOf: documentURL, encoding: .utf8).components(separatedBy: "\n")
        var examples = [String: String]()
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("<!-- example: "), line.hasSuffix(" -->") {
                let name = String(line.dropFirst("<!-- example: ".count).dropLast(" -->".count))
                index += 1
                precondition(lines[index].hasPrefix("```"), "example \(name) is not followed by a fence")
                index += 1
                var body = ""
                while !lines[index].hasPrefix("```") {
                    body += lines[index] + "\n"
                    index += 1
                }
                examples[name] = body
            }
            index += 1
        }
        return examples
    }

    @Test func workedExampleIsReproducedExactly() throws {
        let generated = try Self.generatedExamples()
        let documented = try Self.documentedExamples()
        #expect(Set(documented.keys) == Set(generated.keys))
        for (name, text) in generated.sorted(by: { $0.key < $1.key }) {
            #expect(documented[name] == text, "example \(name) should read:\n\(text)")
        }
    }

    /// The documented signed checkpoint verifies with the documented verifier key.
    @Test func documentedCheckpointVerifies() throws {
        let documented = try Self.documentedExamples()
        let vkey = try #require(documented["verifier-key"]).trimmingCharacters(in: .newlines)
        let note = try #require(documented["signed-checkpoint"])
        let (checkpoint, _) = try Checkpoint.open(note, verifiers: [NoteVerifier(verifierKey: vkey)])
        #expect(checkpoint.treeSize == 8)
        #expect(checkpoint.rootHash.hex == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    }
}
