import Testing
@testable import YimaLedger

@Suite struct CheckpointTests {
    let root = TreeHash(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")!

    @Test func formatAndParse() throws {
        let checkpoint = try Checkpoint(origin: "yima.example/log", treeSize: 8, rootHash: root)
        #expect(checkpoint.text == "yima.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let extended = try Checkpoint(origin: "yima.example/log", treeSize: 0, rootHash: MerkleHash.emptyTree,
                                      extensionLines: ["— extension", "x"])
        #expect(try Checkpoint(text: extended.text) == extended)
        #expect(extended.text.hasPrefix("yima.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
    }

    @Test func malformedCheckpoints() {
        let hash = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
        let cases: [(String, CheckpointError)] = [
            ("o\n8\n\(hash)", .missingFinalNewline),
            ("o\n8\n", .tooFewLines(2)),
            ("\n8\n\(hash)\n", .emptyOrigin),
            ("o\n08\n\(hash)\n", .malformedTreeSize("08")),
            ("o\n+8\n\(hash)\n", .malformedTreeSize("+8")),
            ("o\n-1\n\(hash)\n", .malformedTreeSize("-1")),
            ("o\n\n\(hash)\n", .malformedTreeSize("")),
            ("o\n99999999999999999999\n\(hash)\n", .malformedTreeSize("99999999999999999999")),
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy\n", .malformedRootHash("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy")),
            ("o\n8\nAAAA\n", .malformedRootHash("AAAA")),
            ("o\n8\n\(hash)\n\n", .emptyExtensionLine(lineNumber: 4)),
            ("o\t\n8\n\(hash)\n", .controlCharacter(lineNumber: 1)),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text.debugDescription)") { try Checkpoint(text: text) }
        }
    }

    @Test func signedCheckpointOpens() throws {
        let signer = try SignedNoteTests.fixtureSigner(name: "yima.example/log")
        let checkpoint = try Checkpoint(origin: "yima.example/log", treeSize: 8, rootHash: root)
        let note = try checkpoint.signed(by: signer).serialized
        let (opened, verified) = try Checkpoint.open(note, verifiers: [signer.verifier])
        #expect(opened == checkpoint)
        #expect(verified.verifiedBy == [signer.verifier])
    }
}
