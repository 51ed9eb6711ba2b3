import Foundation
import Testing
import YimaCrypto
import YimaTestSupport

@Suite struct KeyTests {
    @Test(arguments: SignatureAlgorithm.allCases)
    func pemRoundTripKeepsKeyAndID(_ algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let plain = try PrivateKey(pem: key.pem())
        let encrypted = try PrivateKey(pem: key.pem(passphrase: "pw"), passphrase: "pw")
        #expect(plain.id == key.id && encrypted.id == key.id)
        #expect(try key.pem().hasPrefix(pemHeader("PRIVATE KEY")))
        #expect(try key.pem(passphrase: "pw").hasPrefix(pemHeader("ENCRYPTED PRIVATE KEY")))
        #expect(try PublicKey(pem: key.publicKey.pem) == key.publicKey)
        let message = Array("m".utf8)
        #expect(try plain.publicKey.isValidSignature(encrypted.sign(message), for: message))
    }

    @Test func keysOfDifferentAlgorithmsDoNotVerifyEachOther() throws {
        let message = Array("cross".utf8)
        let keys = try SignatureAlgorithm.allCases.map { try PrivateKey.generate($0) }
        for signer in keys {
            let signature = try signer.sign(message)
            for verifier in keys {
                #expect(verifier.publicKey.isValidSignature(signature, for: message) == (signer.id == verifier.id))
            }
        }
    }

    @Test func wrongLengthSignaturesAreInvalid() throws {
        let key = try PrivateKey.generate(.p256)
        let signature = try key.sign([1, 2, 3])
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: [1, 2, 3]))
    }

    @Test func malformedAndForeignKeysAreRejectedWithReason() throws {
        #expect(throws: CryptoError.self) { try PrivateKey(pem: "hello") }
        #expect(throws: CryptoError.self) { try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        let dir = try TemporaryDirectory()
        #expect(try run("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
                                    "-out", dir.file("rsa.key")]).status == 0)
        #expect(throws: CryptoError.unsupportedKey("RSA")) { try KeyFile.loadPrivate(dir.file("rsa.key")) }
        #expect(try run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
                                    "-out", dir.file("p384.key")]).status == 0)
        #expect(throws: CryptoError.self) { try KeyFile.loadPrivate(dir.file("p384.key")) }
    }

    @Test func privateKeyFileIsOwnerOnlyAndNeverOverwritten() throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generate(.ed25519)
        let paths = try KeyFile.save(key, to: dir.file("farm"), passphrase: nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: paths.privatePath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try KeyFile.loadPublic(paths.publicPath) == key.publicKey)

        let other = try PrivateKey.generate(.ed25519)
        #expect(throws: KeyFile.Failure.exists(paths.publicPath)) { try KeyFile.save(other, to: dir.file("farm")) }
        #expect(try KeyFile.loadPrivate(paths.privatePath).id == key.id)
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["farm.key", "farm.pub"])
    }

    @Test func descriptionNeverContainsKeyMaterial() throws {
        let key = try PrivateKey.generate(.ed25519)
        let pemBody = try key.pem().split(separator: "\n")[1]
        #expect(!"\(key)".contains(pemBody))
        #expect("\(key)".contains(key.id.hex))
    }

    @Test func base64AndHexRoundTrip() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) & 0xff) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.urlDecode(Base64.urlEncode(bytes)) == bytes)
            #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")   // RFC 4648 §10
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9=") == nil)   // non-zero padding bits
        #expect(Hex.decode("0g") == nil)
    }

    @Test func digestsMatchKnownAnswers() {
        // FIPS 180-4 example "abc"; GB/T 32905-2016 Appendix A example "abc".
        #expect(Hex.encode(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(Digest.sm3(Array("abc".utf8))) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }
}
