import Foundation
import Testing
import YimaCrypto
import YimaTestSupport

/// Cross-checks every algorithm against the `openssl` command line, which shares no
/// code path with ours beyond libcrypto itself: our signatures must verify there,
/// and theirs here.
@Suite struct OpenSSLInteropTests {
    static let message = Array("yima-code/1\nkey 0011223344556677\n01 09506000134352\n10 LOT1\n21 SERIAL1\n".utf8)

    /// `openssl pkeyutl` options that select each algorithm's digest and SM2's ID.
    static func pkeyutlOptions(_ algorithm: SignatureAlgorithm) -> [String] {
        switch algorithm {
        case .ed25519: ["-rawin"]
        case .p256: ["-rawin", "-digest", "sha256"]
        case .sm2: ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"]
        }
    }

    /// The DER form `openssl` expects, built independently of our converter for
    /// ECDSA/SM2: a SEQUENCE of two minimal positive INTEGERs.
    static func derSignature(_ raw: [UInt8], _ algorithm: SignatureAlgorithm) -> [UInt8] {
        guard algorithm != .ed25519 else { return raw }
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func ourSignatureVerifiesWithOpenSSL(_ algorithm: SignatureAlgorithm) throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generate(algorithm)
        let signature = try key.sign(Self.message)
        #expect(signature.count == 64)
        try key.publicKey.pem.write(toFile: dir.file("k.pub"), atomically: true, encoding: .utf8)
        try Data(Self.message).write(to: URL(fileURLWithPath: dir.file("msg")))
        try Data(Self.derSignature(signature, algorithm)).write(to: URL(fileURLWithPath: dir.file("sig")))

        let result = try run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", dir.file("k.pub"),
                                         "-in", dir.file("msg"), "-sigfile", dir.file("sig")] + Self.pkeyutlOptions(algorithm))
        #expect(result.status == 0, "openssl rejected our \(algorithm) signature: \(result.output) \(result.stderr)")

        // The same signature over a different message must fail there too.
        try Data(Self.message + [0x21]).write(to: URL(fileURLWithPath: dir.file("msg2")))
        let tampered = try run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", dir.file("k.pub"),
                                           "-in", dir.file("msg2"), "-sigfile", dir.file("sig")] + Self.pkeyutlOptions(algorithm))
        #expect(tampered.status != 0)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func openSSLSignatureVerifiesInYima(_ algorithm: SignatureAlgorithm) throws {
        let dir = try TemporaryDirectory()
        let genpkey: [String] = switch algorithm {
        case .ed25519: ["-algorithm", "ED25519"]
        case .p256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case .sm2: ["-algorithm", "SM2"]
        }
        #expect(try run("openssl", ["genpkey"] + genpkey + ["-out", dir.file("k.key")]).status == 0)
        try Data(Self.message).write(to: URL(fileURLWithPath: dir.file("msg")))
        let signed = try run("openssl", ["pkeyutl", "-sign", "-inkey", dir.file("k.key"), "-in", dir.file("msg"),
                                         "-out", dir.file("sig")] + Self.pkeyutlOptions(algorithm))
        #expect(signed.status == 0, "\(signed.stderr)")

        let key = try KeyFile.loadPrivate(dir.file("k.key"))
        #expect(key.algorithm == algorithm)
        let wire = try Data(contentsOf: URL(fileURLWithPath: dir.file("sig")))
        let raw = algorithm == .ed25519 ? Array(wire) : try Self.rawSignature(fromDER: Array(wire))
        #expect(key.publicKey.isValidSignature(raw, for: Self.message))
        #expect(!key.publicKey.isValidSignature(raw, for: Self.message.dropLast()))
        var flipped = raw
        flipped[10] ^= 0x01
        #expect(!key.publicKey.isValidSignature(flipped, for: Self.message))
    }

    /// Our key id is what the documented shell pipeline computes.
    @Test(arguments: SignatureAlgorithm.allCases)
    func keyIDMatchesShellRecipe(_ algorithm: SignatureAlgorithm) throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generate(algorithm)
        try key.publicKey.pem.write(toFile: dir.file("k.pub"), atomically: true, encoding: .utf8)
        let der = try run("openssl", ["pkey", "-pubin", "-in", dir.file("k.pub"), "-outform", "DER"])
        let digest = try run("openssl", ["dgst", "-sha256", "-r"], input: der.stdout)
        #expect(String(digest.output.prefix(16)) == key.id.hex)
    }

    /// A passphrase-encrypted key we write opens with `openssl pkey -passin`, and
    /// one `openssl` encrypts opens here.
    @Test func encryptedKeysInteroperate() throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generate(.sm2)
        try key.pem(passphrase: "田间地头 2026").write(toFile: dir.file("ours.key"), atomically: true, encoding: .utf8)
        let opened = try run("openssl", ["pkey", "-in", dir.file("ours.key"), "-passin", "pass:田间地头 2026", "-pubout"])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try PublicKey(pem: opened.output) == key.publicKey)

        #expect(try run("openssl", ["genpkey", "-algorithm", "ED25519", "-aes-256-cbc", "-pass", "pass:secret",
                                    "-out", dir.file("theirs.key")]).status == 0)
        let theirs = try KeyFile.loadPrivate(dir.file("theirs.key"), passphrase: "secret")
        #expect(theirs.algorithm == .ed25519)
        #expect(throws: CryptoError.wrongPassphrase) { try KeyFile.loadPrivate(dir.file("theirs.key"), passphrase: "nope") }
        #expect(throws: CryptoError.passphraseRequired) { try KeyFile.loadPrivate(dir.file("theirs.key")) }
    }

    static func rawSignature(fromDER der: [UInt8]) throws -> [UInt8] {
        // SEQUENCE { INTEGER r, INTEGER s }, short-form lengths (always so for 256-bit curves).
        #expect(der[0] == 0x30)
        var index = 2
        var out = [UInt8]()
        for _ in 0..<2 {
            #expect(der[index] == 0x02)
            let length = Int(der[index + 1])
            let value = Array(der[(index + 2)..<(index + 2 + length)].drop { $0 == 0 })
            out += [UInt8](repeating: 0, count: 32 - value.count) + value
            index += 2 + length
        }
        return out
    }
}
