import Foundation
import Testing
@testable import YimaLedger
import YimaCrypto
import YimaTestSupport

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
            "sm2-verifier-key": try sm2Signer().verifier.verifierKey + "\n",
        ]
    }

    /// The SM2 example's signer: a TEST KEY fixture, published, never for production.
    static func sm2Signer() throws -> NoteSigner {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("fixtures/ledger-example-sm2.key")
        return try NoteSigner(name: origin, privateKey: PrivateKey(pem: String(contentsOf: url, encoding: .utf8)))
    }

    /// SM2 signatures are randomised, so the documented doubly signed checkpoint
    /// is checked by verification, not reproduced; these names are left out of the
    /// byte-for-byte comparison.
    static let randomisedExamples: Set<String> = ["sm2-signed-checkpoint"]

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
        if ProcessInfo.processInfo.environment["YIMA_PRINT_SM2_NOTE"] == "1" {
            let ed25519 = try SignedNote(parsing: try #require(generated["signed-checkpoint"]))
            let sm2 = try Self.sm2Signer().signature(for: ed25519.text)
            print(try SignedNote(text: ed25519.text, signatures: ed25519.signatures + [sm2]).serialized)
        }
        #expect(Set(documented.keys).subtracting(Self.randomisedExamples) == Set(generated.keys))
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

    /// The SM2 example (a Yima extension type): the note carries the Ed25519 signature
    /// of the worked example and an SM2 one; each verifier key opens it alone, an
    /// Ed25519-only verifier ignores the SM2 line, and changing the SM2 line breaks it.
    @Test func documentedSM2CheckpointVerifies() throws {
        let documented = try Self.documentedExamples()
        let note = try #require(documented["sm2-signed-checkpoint"])
        let sm2Key = try #require(documented["sm2-verifier-key"]).trimmingCharacters(in: .newlines)
        let ed25519Key = try #require(documented["verifier-key"]).trimmingCharacters(in: .newlines)
        let sm2 = try NoteVerifier(verifierKey: sm2Key)
        #expect(sm2Key.split(separator: "+")[2].hasPrefix("/3lpbWEtc20y"))   // 0xFF "yima-sm2"
        let (checkpoint, _) = try Checkpoint.open(note, verifiers: [sm2])
        #expect(checkpoint.rootHash.hex == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        _ = try Checkpoint.open(note, verifiers: [NoteVerifier(verifierKey: ed25519Key)])
        let parsed = try SignedNote(parsing: note)
        #expect(parsed.signatures.count == 2)
        #expect(parsed.signatures[0] == (try SignedNote(parsing: try #require(documented["signed-checkpoint"]))).signatures[0])
        #expect(parsed.signatures[1].keyID == sm2.keyID && parsed.signatures[1].signature.count == 64)

        // Another SM2 signature over other text, under the same key name and id, is refused.
        let other = try Self.sm2Signer().signature(for: "yima.example/ledger-test\n9\n" + checkpoint.rootHash.base64 + "\n")
        let forged = try SignedNote(text: parsed.text, signatures: [parsed.signatures[0], other])
        #expect(throws: NoteError.self) { try Checkpoint.open(forged.serialized, verifiers: [sm2]) }
    }

    /// checkpoint.md's SM2 recipe verifies the documented SM2 signature with openssl.
    @Test func documentedSM2RecipeVerifiesWithOpenSSL() throws {
        let doc = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let marker = try #require(doc.range(of: "<!-- example-recipe: sm2 -->"))
        let fence = try #require(doc.range(of: "```sh\n", range: marker.upperBound..<doc.endIndex))
        let end = try #require(doc.range(of: "\n```", range: fence.upperBound..<doc.endIndex))
        let directory = try TemporaryDirectory()
        let result = try run("bash", ["-c", "set -e; cd '\(directory.path)'\n" + doc[fence.upperBound..<end.lowerBound]])
        #expect(result.status == 0, "\(result.stderr)")
        let sm2 = try NoteVerifier(verifierKey: try #require(Self.documentedExamples()["sm2-verifier-key"]).trimmingCharacters(in: .newlines))
        #expect(result.output == String(format: "%08x\n", sm2.keyID) + "Signature Verified Successfully\n")
    }
}
