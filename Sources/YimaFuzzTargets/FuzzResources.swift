import Foundation
import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords

/// The published test vectors the targets verify against (docs/test-vectors), read
/// once from the repository: the fuzzer then mutates inputs that pass the parsers
/// and reach the signature and proof checks.
enum FuzzResources {
    /// The repository: `$YIMA_REPO`, else the first folder at or above the working
    /// folder that holds docs/test-vectors.
    static let repository: URL = {
        if let path = ProcessInfo.processInfo.environment["YIMA_REPO"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("docs/test-vectors").path) { return folder }
            folder.deleteLastPathComponent()
        }
        fatalError("yima fuzz: run from inside the repository, or set YIMA_REPO")
    }()

    static func vector(_ path: String) -> String {
        let url = repository.appendingPathComponent("docs/test-vectors").appendingPathComponent(path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("yima fuzz: cannot read \(url.path)") }
        return text
    }

    static func publicKey(_ path: String) -> PublicKey {
        guard let key = try? PublicKey(pem: vector(path)) else { fatalError("yima fuzz: \(path) is not a public key") }
        return key
    }

    /// The three code-vector keys (Ed25519, P-256, SM2).
    static let codeVerifier = UnitCodeVerifier(trusted: TrustedKeys(["ed25519", "p256", "sm2"].map { publicKey("code-v1/\($0).pub") }))

    /// The bundle vector's log key and authority.
    static let logVerifier: NoteVerifier = {
        guard let verifier = try? NoteVerifier(verifierKey: vector("bundle-v1/trust/log.vkey").trimmingCharacters(in: .whitespacesAndNewlines)) else {
            fatalError("yima fuzz: bundle-v1/trust/log.vkey is not a verifier key")
        }
        return verifier
    }()
    static let bundleAuthorities = [publicKey("bundle-v1/trust/authority.pub")]
    /// A fixed time, so that a run does not depend on the clock.
    static let bundleNow = Instant(seconds: 1_798_761_600)  // 2027-01-01T00:00:00Z

    static let trustListAuthorities = [publicKey("trust-list-v1/authority.pub")]
    /// One day after the trust-list vector was issued: inside its validity.
    static let trustListNow: Instant = {
        guard let envelope = try? Envelope(text: vector("trust-list-v1/trust-list.json").trimmingCharacters(in: .whitespacesAndNewlines)),
              let list = try? TrustList(payload: envelope.payload) else {
            fatalError("yima fuzz: trust-list-v1/trust-list.json does not decode")
        }
        return list.issued.instant.adding(.seconds(86_400))
    }()

    /// A key that signed nothing.
    static let strangerKey: PublicKey = {
        guard let key = try? PrivateKey.generate(.ed25519) else { fatalError("yima fuzz: cannot generate a key") }
        return key.publicKey
    }()
}
