import Foundation
import Testing
import YimaCrypto
import YimaRecords
import YimaTestSupport

/// docs/trust-list.md §4: the openssl recipe (docs/test-vectors/trust-list-v1/
/// verify-with-openssl.sh) checks a list signed by an authority of every algorithm,
/// and refuses one that was altered or signed by another key.
@Suite struct TrustListRecipeTests {
    static let script = Repository.root.appendingPathComponent("docs/test-vectors/trust-list-v1/verify-with-openssl.sh").path

    static func signedList(by authority: PrivateKey) throws -> Envelope {
        let party = Envelope.signedExample(by: authority)
        let list = TrustList(version: 7, issued: try Timestamp("2026-11-01T08:00:00+08:00"),
                             expires: try Timestamp("2026-12-01T08:00:00+08:00"), registry: [party], recalls: [])
        return try Envelope.sign(payload: list.payload, with: authority)
    }

    static func runRecipe(_ envelopeText: String, key: PublicKey, in directory: TemporaryDirectory) throws -> CommandResult {
        let listPath = directory.url.appendingPathComponent("trust-list.json").path
        let keyPath = directory.url.appendingPathComponent("authority.pub").path
        try envelopeText.write(toFile: listPath, atomically: true, encoding: .utf8)
        try key.pem.write(toFile: keyPath, atomically: true, encoding: .utf8)
        return try run("/bin/bash", [script, listPath, keyPath])
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func theRecipeVerifiesEveryAuthorityAlgorithm(_ algorithm: SignatureAlgorithm) throws {
        let authority = try PrivateKey.generate(algorithm)
        let envelope = try Self.signedList(by: authority)
        let directory = try TemporaryDirectory()
        let good = try Self.runRecipe(envelope.text, key: authority.publicKey, in: directory)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.output.contains("version 7, issued 2026-11-01T08:00:00+08:00"))
        #expect(good.output.contains("Signature Verified Successfully"))

        // A list whose payload was altered (version 7 → 8) fails openssl's check.
        let altered = Envelope(algorithm: algorithm, keyID: authority.id,
                               payload: Array(String(decoding: envelope.payload, as: UTF8.self)
                                   .replacingOccurrences(of: "\"version\":7", with: "\"version\":8").utf8),
                               signature: envelope.signature)
        let bad = try Self.runRecipe(altered.text, key: authority.publicKey, in: directory)
        #expect(bad.status != 0)
        #expect(!bad.output.contains("Signature Verified Successfully"))

        // Another authority's key of the same algorithm is refused by key id.
        let other = try PrivateKey.generate(algorithm)
        let foreign = try Self.runRecipe(envelope.text, key: other.publicKey, in: directory)
        #expect(foreign.status != 0)
        #expect(foreign.stderr.contains("not this authority key"))
    }

    @Test func theRecipeRefusesNonCanonicalBase64() throws {
        let authority = try PrivateKey.generate(.ed25519)
        let envelope = try Self.signedList(by: authority)
        // 64 bytes are 86 symbols whose last carries 4 unused bits; setting one gives
        // the same bytes under a lenient decoder.
        let sig = Base64.urlEncode(envelope.signature)
        let last = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let index = last.firstIndex(of: sig.last!)!
        let twisted = String(sig.dropLast()) + String(last[index | 1])
        let text = envelope.text.replacingOccurrences(of: sig, with: twisted)
        let result = try Self.runRecipe(text, key: authority.publicKey, in: try TemporaryDirectory())
        #expect(result.status != 0)
        #expect(result.stderr.contains("non-canonical base64url"))
    }
}

extension Envelope {
    /// A small party record signed by `key`, as a trust list's registry holds.
    static func signedExample(by key: PrivateKey) -> Envelope {
        let payload = Array(#"{"kind":"example","v":1}"#.utf8)
        return try! Envelope.sign(payload: payload, with: key)
    }
}
