import Foundation
import Testing
import YimaCrypto
import YimaRecords
import YimaService
import YimaTestSupport

/// The trust-list test vector of docs/trust-list.md §4. Run with
/// `YIMA_WRITE_TRUST_VECTOR=1` to write a new one (then commit it).
@Suite struct TrustListVectorTests {
    static let folder = Repository.root.appendingPathComponent("docs/test-vectors/trust-list-v1")

    static func file(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func theDocumentedVectorGivesTheDocumentedVerdicts() throws {
        if ProcessInfo.processInfo.environment["YIMA_WRITE_TRUST_VECTOR"] == "1" { try Self.write() }
        let authority = try KeyFile.loadPublic(Self.file("authority.pub"))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.file("trust-list.json"))))
        let list = try VerifiedTrustList(encoded: bytes, authorities: [authority], now: Instant(seconds: 1_800_000_000))
        let lines = try String(contentsOfFile: Self.file("codes.txt"), encoding: .utf8).split(separator: "\n")
        let expected = lines.map { $0.split(separator: " ")[0] }.map(String.init)
        let codes = lines.map { String($0.split(separator: " ")[1]) }
        let checks = CodeVerification.run(codes, trustList: list)
        let got = checks.map { CodeVerification.exitStatus([$0]) }.map(String.init)
        #expect(got == expected)
        #expect(list.registry.keys.values.contains { $0.retiredAt != nil })
        // Expired after its `expires`.
        #expect(throws: ServiceError.self) {
            try VerifiedTrustList(encoded: bytes, authorities: [authority], now: list.list.expires.instant.adding(.seconds(1)))
        }
        // The outer signature checks with openssl alone.
        let openssl = try run("/bin/bash", [Self.file("verify-with-openssl.sh"), Self.file("trust-list.json"), Self.file("authority.pub")])
        #expect(openssl.status == 0, "\(openssl.stderr)")
        #expect(openssl.output.contains("Signature Verified Successfully"))
    }

    /// A cooperative issues two codes, rotates its key, issues a third with the new
    /// key, recalls the second unit, and the new key is then revoked.
    static func write() throws {
        let farm = try Farm()
        let old = try farm.issue(2)
        let newKey = try PrivateKey.generate(.ed25519)
        try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex, newKey: newKey.publicKey, authority: farm.authority)
        let fresh = try farm.issue(1, key: newKey)
        try farm.recalls.recall(batch: Farm.reference, units: [old[1].serial], reason: "农残超标", action: "停止销售，退回合作社",
                                key: newKey)
        try farm.keys.revokeKey(party: Farm.coopID, keyID: newKey.id.hex, compromisedSince: nil, reason: "签名 U 盘丢失",
                                   authority: farm.authority)
        let list = try farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(100 * 365 * 86_400))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(list.encoded).write(to: URL(fileURLWithPath: file("trust-list.json")))
        try farm.authority.publicKey.pem.write(toFile: file("authority.pub"), atomically: true, encoding: .utf8)
        let lines = ["0 \(old[0].uri)", "16 \(old[1].uri)", "15 \(fresh[0].uri)"]
        try (lines.joined(separator: "\n") + "\n").write(toFile: file("codes.txt"), atomically: true, encoding: .utf8)
    }
}
