import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaTestSupport

/// The published vectors in docs/test-vectors/code-v1 keep verifying, the Ed25519
/// one is reproduced bit for bit, and the documented outside verifier agrees.
@Suite struct CodeVectorTests {
    static let folder = Repository.root.appendingPathComponent("docs/test-vectors/code-v1")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    static func code(_ algorithm: SignatureAlgorithm) throws -> String {
        try String(contentsOfFile: path("\(algorithm.rawValue).code.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func vectorVerifies(_ algorithm: SignatureAlgorithm) throws {
        let key = try KeyFile.loadPublic(Self.path("\(algorithm.rawValue).pub"))
        #expect(key.algorithm == algorithm)
        let verdict = UnitCodeVerifier(trusted: TrustedKeys([key])).verify(try Self.code(algorithm)).verdict
        #expect(verdict == .genuine(key))
    }

    @Test func ed25519VectorIsReproducedExactly() throws {
        // TEST KEY fixture, kept with the tests.
        let key = try KeyFile.loadPrivate(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("fixtures/code-v1/ed25519.test-key.pem").path)
        #expect(key.id.hex == "84505ee52c954a57")
        let expected = try Self.code(.ed25519)
        let parsed = try UnitCode.parse(expected)
        let issuer = UnitCodeIssuer(key: key, base: try ResolverBase("https://yima.example.com"))
        #expect(try issuer.issue(gtin: parsed.gtin, lot: parsed.lot, serial: parsed.serial).uri == expected)
        let batch = try UnitCodeBatchSigner(issuer: issuer, gtin: parsed.gtin, lot: parsed.lot)
        #expect(try batch.issue(serial: parsed.serial) == expected)
        #expect(Hex.encode(parsed.signature) == "e8fd01b9cbc169bf6642dfed3514b45dea47744fd82e023f0b6fd17840805b9d28c6d8e40f0695f28de20bfdf3db1e2309c2a54caa0ea2910a4c84ba71c4d606")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func outsideVerifierAgrees(_ algorithm: SignatureAlgorithm) throws {
        let script = Self.path("verify-with-openssl.sh")
        let code = try Self.code(algorithm)
        let good = try run(script, [code, Self.path("\(algorithm.rawValue).pub")])
        #expect(good.status == 0, "\(good.output)\(good.stderr)")
        let tampered = try run(script, [code.replacingOccurrences(of: "/10/ABCDE12345/", with: "/10/ABCDE12346/"),
                                        Self.path("\(algorithm.rawValue).pub")])
        #expect(tampered.status != 0)
    }

    /// Codes we issue now pass the outside verifier too, for every algorithm.
    @Test(arguments: SignatureAlgorithm.allCases)
    func freshCodesPassTheOutsideVerifier(_ algorithm: SignatureAlgorithm) throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generate(algorithm)
        try key.publicKey.pem.write(toFile: dir.file("k.pub"), atomically: true, encoding: .utf8)
        let code = try UnitCodeIssuer(key: key, base: try ResolverBase("https://trace.county.example.cn"))
            .issue(gtin: "06920000000012", lot: "2026-A1")
        let result = try run(Self.path("verify-with-openssl.sh"), [code.uri, dir.file("k.pub")])
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
    }
}
