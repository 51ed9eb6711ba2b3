import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaTestSupport
@testable import YimaRecords

@Suite("Signed envelope v1")
struct EnvelopeTests {
    /// The fenced block after `<!-- vector: NAME -->` in docs/envelope.md.
    static func documentVector(_ name: String) throws -> String {
        let doc = try String(contentsOf: Repository.root.appendingPathComponent("docs/envelope.md"), encoding: .utf8)
        let marker = try #require(doc.range(of: "<!-- vector: \(name) -->"))
        let afterFence = try #require(doc.range(of: "```", range: marker.upperBound..<doc.endIndex))
        let bodyStart = try #require(doc.range(of: "\n", range: afterFence.upperBound..<doc.endIndex)).upperBound
        let end = try #require(doc.range(of: "\n```", range: bodyStart..<doc.endIndex)).lowerBound
        return String(doc[bodyStart..<end])
    }

    @Test func documentVectorIsReproducedExactly() throws {
        let key = Fixtures.testKey
        #expect(try Self.documentVector("public-key") + "\n" == key.publicKey.pem)
        let payload = Array(try Self.documentVector("payload").utf8)
        #expect(payload == Record.event(Fixtures.pesticideEvent).payload)
        let envelope = try Envelope.sign(payload: payload, with: key)
        #expect(envelope.text == (try Self.documentVector("envelope")))
        #expect(envelope.recordID.hex == (try Self.documentVector("record-id")))
        #expect(Hex.encode(envelope.signature) == (try Self.documentVector("signature-hex")))
        #expect(envelope.verify(with: key.publicKey) == .valid(envelope.recordID))
        #expect(try Envelope(text: envelope.text) == envelope)
        #expect(try envelope.verifiedRecord(with: key.publicKey) == .event(Fixtures.pesticideEvent))
    }

    /// The §4 recipe refuses a signature spelled with a set unused bit, which
    /// `base64 -d` alone would decode to the same bytes.
    @Test func documentRecipeRefusesNonCanonicalBase64() throws {
        let directory = try TemporaryDirectory()
        let text = try Self.documentVector("envelope")
        let sig = Base64.urlEncode(try Envelope(text: text).signature)
        #expect(sig.hasSuffix("g"))   // 'g' = 32: the four unused bits are zero
        try text.replacingOccurrences(of: sig, with: sig.dropLast() + "h")
            .write(toFile: directory.file("envelope.json"), atomically: true, encoding: .utf8)
        try Self.documentVector("public-key").appending("\n").write(toFile: directory.file("k.pub"), atomically: true, encoding: .utf8)
        let result = try run("sh", ["-c", "cd '\(directory.path)' && " + (try Self.documentVector("recipe"))])
        #expect(result.status != 0)
        #expect(result.stderr.contains("non-canonical base64url"))
        #expect(!result.output.contains("Signature Verified Successfully"))
    }

    /// Runs docs/envelope.md §4 as an outside auditor would: a shell, base64 and openssl.
    @Test func documentRecipeVerifiesWithOpenSSL() throws {
        let directory = try TemporaryDirectory()
        try Self.documentVector("envelope").write(toFile: directory.file("envelope.json"), atomically: true, encoding: .utf8)
        try Self.documentVector("public-key").appending("\n").write(toFile: directory.file("k.pub"), atomically: true, encoding: .utf8)
        let script = "cd '\(directory.path)' && " + (try Self.documentVector("recipe"))
        let result = try run("sh", ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == "652c9efcee3b780d\n\(try Self.documentVector("record-id"))\nSignature Verified Successfully\n")

        // The same check with openssl invoked directly on files this test writes.
        let envelope = try Envelope(text: Self.documentVector("envelope"))
        try Data(envelope.signedMessage).write(to: URL(fileURLWithPath: directory.file("message.bin")))
        try Data(envelope.signature).write(to: URL(fileURLWithPath: directory.file("sig2.bin")))
        let direct = try run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", directory.file("k.pub"), "-rawin",
                                         "-in", directory.file("message.bin"), "-sigfile", directory.file("sig2.bin")])
        #expect(direct.status == 0 && direct.output.contains("Signature Verified Successfully"), "\(direct.stderr)")

        // A flipped payload byte fails.
        var tampered = envelope.signedMessage
        tampered[tampered.count - 2] ^= 1
        try Data(tampered).write(to: URL(fileURLWithPath: directory.file("tampered.bin")))
        let bad = try run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", directory.file("k.pub"), "-rawin",
                                      "-in", directory.file("tampered.bin"), "-sigfile", directory.file("sig2.bin")])
        #expect(bad.status != 0)
    }

    @Test func signedMessageIsDomainSeparated() throws {
        let envelope = try Envelope.sign(payload: Record.batch(Fixtures.batch).payload, with: Fixtures.testKey)
        #expect(envelope.signedMessage.prefix(14) == Array("yima-record/1\n".utf8)[...])
        #expect(envelope.signedMessage.dropFirst(14).elementsEqual(envelope.payload))
    }

    @Test func preciseReasons() throws {
        let key = Fixtures.testKey
        let envelope = try Envelope.sign(Record.batch(Fixtures.batch), with: key)
        let other = try PrivateKey.generate(.ed25519)
        #expect(envelope.verify(with: other.publicKey) == .invalid(.wrongKey(expected: key.id, got: other.id)))

        let p256 = try PrivateKey.generate(.p256)
        let relabelled = Envelope(algorithm: .ed25519, keyID: p256.id, payload: envelope.payload, signature: envelope.signature)
        #expect(relabelled.verify(with: p256.publicKey) == .invalid(.algorithmMismatch(envelope: .ed25519, key: .p256)))

        var payload = envelope.payload
        payload[payload.count - 2] = UInt8(ascii: "2")  // "v":2 — still canonical, no longer signed
        let forged = Envelope(algorithm: .ed25519, keyID: key.id, payload: payload, signature: envelope.signature)
        #expect(forged.verify(with: key.publicKey) == .invalid(.badSignature))

        let spaced = Array("{\"v\": 1}".utf8)
        let nonCanonical = Envelope(algorithm: .ed25519, keyID: key.id, payload: spaced, signature: try key.sign(Envelope.signedMessage(payload: spaced)))
        #expect(nonCanonical.verify(with: key.publicKey) == .invalid(.nonCanonicalPayload(.notCanonical(offset: 5))))
        #expect(throws: EnvelopeError.nonCanonicalPayload(.notCanonical(offset: 5))) { try Envelope.sign(payload: spaced, with: key) }

        // Every algorithm signs and verifies.
        for algorithm in SignatureAlgorithm.allCases {
            let signer = try PrivateKey.generate(algorithm)
            let signed = try Envelope.sign(Record.product(Fixtures.product), with: signer)
            #expect(try Envelope(encoded: signed.encoded).verify(with: signer.publicKey).isValid)
        }
        #expect(EnvelopeError.badSignature.message(in: .chinese) == "签名无效：记录可能被篡改")
    }

    @Test func strictWireForm() throws {
        let envelope = try Envelope.sign(Record.batch(Fixtures.batch), with: Fixtures.testKey)
        let text = envelope.text
        func reason(_ mutated: String) -> EnvelopeError? {
            do { _ = try Envelope(text: mutated); return nil } catch { return error }
        }
        #expect(reason(text.replacingOccurrences(of: "\"v\":1", with: "\"v\":2")) == .unsupportedVersion(2))
        #expect(reason(text.replacingOccurrences(of: "ed25519", with: "rsa")) == .unknownAlgorithm("rsa"))
        #expect(reason(text.replacingOccurrences(of: "\"v\":1}", with: "\"v\":1,\"x\":1}")) == .unknownField("x"))
        #expect(reason(text.replacingOccurrences(of: ",\"v\":1}", with: "}")) == .missingField("v"))
        #expect(reason(text.replacingOccurrences(of: envelope.keyID.hex, with: envelope.keyID.hex.uppercased())) == .malformedKeyID(envelope.keyID.hex.uppercased()))
        #expect(reason(text.replacingOccurrences(of: "\",\"v\"", with: "==\",\"v\"")) == .malformedBase64(field: "sig"))
        #expect(reason(text.replacingOccurrences(of: "{\"alg\"", with: "{ \"alg\"")) == .malformedEnvelope(.notCanonical(offset: 1)))
        let shortSig = Envelope(algorithm: .ed25519, keyID: envelope.keyID, payload: envelope.payload, signature: [1, 2, 3])
        #expect(reason(shortSig.text) == .malformedSignature(byteCount: 3))
    }
}
