import Foundation
import Testing
import YimaCrypto
import YimaTestSupport
@testable import YimaLedger

@Suite struct SignedNoteTests {
    static let noteFolder = Repository.conformance.appendingPathComponent("merkle/signed-note")

    static func exampleFiles() throws -> (vkey: String, note: String) {
        let vkey = try String(contentsOf: noteFolder.appendingPathComponent("example.vkey"), encoding: .utf8)
        let note = try String(contentsOf: noteFolder.appendingPathComponent("example.note"), encoding: .utf8)
        return (vkey.trimmingCharacters(in: .newlines), note)
    }

    /// The C2SP signed-note example, verified as SOURCES.md describes: key ID
    /// 530d903a = SHA-256("example.com/foo" || 0x0A || 0x01 || key)[:4], the
    /// Ed25519 signature over the body including its final newline.
    @Test func c2spExampleVerifies() throws {
        let (vkey, note) = try Self.exampleFiles()
        let verifier = try NoteVerifier(verifierKey: vkey)
        #expect(verifier.name == "example.com/foo")
        #expect(verifier.keyID == 0x530d_903a)
        #expect(verifier.keyType == .ed25519)
        #expect(verifier.verifierKey == vkey)
        let parsed = try SignedNote(parsing: note)
        #expect(parsed.text == "This is an example message.\n")
        #expect(parsed.signatures.count == 1)
        #expect(parsed.signatures[0].keyID == 0x530d_903a)
        #expect(parsed.serialized == note)
        let verified = try SignedNote.open(note, verifiers: [verifier])
        #expect(verified.text == "This is an example message.\n")
        #expect(verified.verifiedBy == [verifier])
        // Through bytes, too.
        #expect(try SignedNote(parsing: Array(note.utf8)) == parsed)
    }

    @Test func c2spExampleRejectsTamperingAndUnknownKeys() throws {
        let (vkey, note) = try Self.exampleFiles()
        let verifier = try NoteVerifier(verifierKey: vkey)
        let tampered = note.replacingOccurrences(of: "example message", with: "exemplary message")
        #expect(throws: NoteError.badSignature(keyName: "example.com/foo", keyID: 0x530d_903a)) {
            try SignedNote.open(tampered, verifiers: [verifier])
        }
        // Same key, other name: an unknown key, ignored, so nothing verifies.
        let other = try NoteVerifier(name: "example.com/bar", publicKey: verifier.publicKey)
        #expect(throws: NoteError.unknownKey(["example.com/foo+530d903a"])) {
            try SignedNote.open(note, verifiers: [other])
        }
        // A wrong declared key ID in the vkey.
        #expect(throws: NoteError.keyIDMismatch(keyName: "example.com/foo", declared: 0x530d_903b, computed: 0x530d_903a)) {
            try NoteVerifier(verifierKey: vkey.replacingOccurrences(of: "+530d903a+", with: "+530d903b+"))
        }
    }

    static func fixtureSigner(name: String) throws -> NoteSigner {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("fixtures/ledger-example-ed25519.key")
        let key = try PrivateKey(pem: String(contentsOf: url, encoding: .utf8))
        return try NoteSigner(name: name, privateKey: key)
    }

    @Test func signAndVerifyRoundTrip() throws {
        let signer = try Self.fixtureSigner(name: "yima.example/log")
        let note = try signer.sign("hello\n\nworld\n")
        let text = note.serialized
        let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
        let verified = try SignedNote.open(text, verifiers: [verifier])
        #expect(verified.text == "hello\n\nworld\n")
        // A second, unknown signature is ignored; two known ones both verify.
        let stranger = try NoteSigner(name: "witness.example", privateKey: PrivateKey.generate(.ed25519))
        let cosigned = try note.adding(stranger.signature(for: note.text))
        let opened = try SignedNote.open(cosigned.serialized, verifiers: [verifier])
        #expect(opened.unknownSignatures.map(\.keyName) == ["witness.example"])
        let both = try SignedNote.open(cosigned.serialized, verifiers: [verifier, stranger.verifier])
        #expect(both.verifiedBy.count == 2)
        // Ed25519 is deterministic: the same text, the same signature.
        #expect(try signer.sign("hello\n\nworld\n") == note)
    }

    /// The Yima SM2 extension: type 0xFF || "yima-sm2", 65-byte point.
    @Test func sm2ExtensionRoundTrip() throws {
        let signer = try NoteSigner(name: "county.example/log", privateKey: PrivateKey.generate(.sm2))
        #expect(signer.verifier.keyType == .sm2)
        let vkey = signer.verifier.verifierKey
        let parsed = try NoteVerifier(verifierKey: vkey)
        #expect(parsed == signer.verifier)
        #expect(parsed.publicKey == signer.verifier.publicKey)
        let encoded = try #require(Base64.decode(vkey.split(separator: "+", maxSplits: 2)[2]))
        #expect(encoded.prefix(9) == [0xFF] + Array("yima-sm2".utf8)[...])
        #expect(encoded.count == 9 + 65)
        let note = try signer.sign("sm2 signed\n")
        #expect(try SignedNote.open(note.serialized, verifiers: [parsed]).text == "sm2 signed\n")
        #expect(throws: NoteError.self) {
            try SignedNote.open(note.serialized.replacingOccurrences(of: "sm2 signed", with: "sm2 forged"), verifiers: [parsed])
        }
        // An Ed25519 and an SM2 signature on one note, as a county log might publish.
        let ed = try Self.fixtureSigner(name: "county.example/log")
        let dual = try note.adding(ed.signature(for: note.text))
        #expect(try SignedNote.open(dual.serialized, verifiers: [parsed, ed.verifier]).verifiedBy.count == 2)
        #expect(throws: NoteError.unsupportedKeyType("ECDSA P-256 with SHA-256")) {
            try NoteSigner(name: "p256.example", privateKey: PrivateKey.generate(.p256))
        }
    }

    @Test func malformedNotesNameTheFailure() throws {
        let (vkey, note) = try Self.exampleFiles()
        let verifier = try NoteVerifier(verifierKey: vkey)
        let sigLine = String(note.split(separator: "\n", omittingEmptySubsequences: false)[2])
        let cases: [(String, NoteError)] = [
            ("text only\n", .missingSignatures),
            ("text\n\n", .missingSignatures),
            ("text\n\n" + sigLine, .missingFinalNewline),
            ("text\twith tab\n\n" + sigLine + "\n", .controlCharacter(byteOffset: 4)),
            ("text\r\n\n" + sigLine + "\n", .controlCharacter(byteOffset: 4)),
            ("text\n\n- example.com/foo AAAAAAA=\n", .malformedSignatureLine(lineNumber: 3, reason: "does not start with \"\u{2014} \"")),
            ("text\n\n\u{2014} example.com/foo  AAAA\n", .malformedSignatureLine(lineNumber: 3, reason: "expected a key name and a signature separated by one space")),
            ("text\n\n\u{2014} example.com/foo AAAA\n", .malformedSignatureLine(lineNumber: 3, reason: "signature is 3 bytes, shorter than a key ID and a signature")),
            ("text\n\n\u{2014} example.com/foo AAAAAAA\n", .malformedSignatureLine(lineNumber: 3, reason: "signature is not canonical standard base64")),
            ("text\n\n\u{2014} example.com/foo AAAAAA-_\n", .malformedSignatureLine(lineNumber: 3, reason: "signature is not canonical standard base64")),
            ("text\n\n\u{2014} a+b AAAAAAA=\n", .invalidKeyName("a+b")),
            ("text\n\n\u{2014} a\u{3000}b AAAAAAA=\n", .invalidKeyName("a\u{3000}b")),
            ("text\n\n" + sigLine + "\n\n", .missingSignatures),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text.debugDescription)") { try SignedNote.open(text, verifiers: [verifier]) }
        }
        let long = "text\n\n\u{2014} example.com/foo " + Base64.encode([UInt8](repeating: 7, count: 7000)) + "\n"
        #expect(throws: NoteError.lineTooLong(lineNumber: 3, byteCount: long.utf8.count - 7, limit: 8192)) {
            try SignedNote(parsing: long)
        }
        let many = "text\n\n" + String(repeating: sigLine + "\n", count: 101)
        #expect(throws: NoteError.tooManySignatures(count: 101, limit: 100)) { try SignedNote(parsing: many) }
        #expect(throws: NoteError.invalidUTF8) { try SignedNote(parsing: [0x74, 0xFF, 0x0A, 0x0A] + Array(sigLine.utf8) + [0x0A]) }
        let huge = String(repeating: "a", count: SignedNote.maximumByteCount) + "\n\n" + sigLine + "\n"
        #expect(throws: NoteError.noteTooLarge(byteCount: huge.utf8.count, limit: SignedNote.maximumByteCount)) {
            try SignedNote(parsing: huge)
        }
        // Up to 100 signature lines parse.
        #expect(try SignedNote(parsing: "text\n\n" + String(repeating: sigLine + "\n", count: 100)).signatures.count == 100)
    }

    @Test func malformedVerifierKeys() throws {
        let (vkey, _) = try Self.exampleFiles()
        let key = String(vkey.split(separator: "+", maxSplits: 2)[2])
        #expect(throws: NoteError.malformedVerifierKey("expected <name>+<key id>+<key>")) { try NoteVerifier(verifierKey: "example.com/foo") }
        #expect(throws: NoteError.malformedVerifierKey("key ID \"530D903A\" is not 8 lowercase hex digits")) {
            try NoteVerifier(verifierKey: "example.com/foo+530D903A+" + key)
        }
        #expect(throws: NoteError.invalidKeyName("")) { try NoteVerifier(verifierKey: "+530d903a+" + key) }
        #expect(throws: NoteError.unsupportedKeyType("type byte 0x2")) {
            try NoteVerifier(verifierKey: "example.com/foo+530d903a+" + Base64.encode([0x02] + [UInt8](repeating: 1, count: 32)))
        }
        #expect(throws: NoteError.malformedVerifierKey("Ed25519 key is 31 bytes, expected 32")) {
            try NoteVerifier(verifierKey: "example.com/foo+530d903a+" + Base64.encode([0x01] + [UInt8](repeating: 1, count: 31)))
        }
    }
}
