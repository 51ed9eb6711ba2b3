import Foundation
import Testing
import YimaTestSupport

/// `yima trust export`, `yima verify --trust-list`, `yima party revoke-key`,
/// `yima recall issue` and `yima recall trace` through the binary, with the store
/// checked through sqlite3.
@Suite struct TrustCLITests {
    typealias Coop = RecordsCLITests.Coop
    static func yima(_ arguments: [String]) throws -> CommandResult { try CLITests.yima(arguments) }

    func export(_ coop: Coop, _ name: String) throws -> String {
        let out = coop.dir.file(name)
        Coop.expectSuccess(try Self.yima(["trust", "export", "--data", coop.data, "--authority-key",
                                          coop.dir.file("data/authority/authority.key"), "--validity-days", "2", "--out", out]))
        return out
    }

    func verify(_ coop: Coop, list: String, _ codes: [String], json: Bool = false) throws -> CommandResult {
        try Self.yima(["verify", "--trust", coop.dir.file("data/authority"), "--trust-list", list] + (json ? ["--json"] : []) + codes)
    }

    @Test func recallsAndRevocationsReachTheOfflineVerifier() throws {
        let coop = try Coop()
        let codes = try coop.issue(3, out: "labels")
        #expect(try verify(coop, list: export(coop, "list-1.json"), codes).status == 0)

        // The list is an envelope an authority key signed, readable by anyone.
        let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: coop.dir.file("list-1.json")))) as? [String: Any]
        #expect(envelope?["kid"] as? String == (try coop.sql("SELECT signer_key FROM records WHERE kind = 'party'")))

        // One unit recalled by its producer: exit 16 for it, 0 for the others.
        let serial = String(codes[1].split(separator: "/").last!.split(separator: "?").first!)
        Coop.expectSuccess(try Self.yima(["recall", "issue", "--data", coop.data, "--key", coop.key, "--batch", RecordsCLITests.batch,
                                          "--units", serial, "--reason", "农残超标", "--action", "停止销售并退回"]))
        let list = try export(coop, "list-2.json")
        let recalled = try verify(coop, list: list, codes, json: true)
        #expect(recalled.status == 16, "\(recalled.stderr)")
        let objects = try JSONSerialization.jsonObject(with: recalled.stdout) as? [[String: Any]] ?? []
        #expect((objects[1]["recall"] as? [String: Any])?["reason"] as? String == "农残超标")
        #expect(objects[0]["recall"] == nil && objects[0]["keyStatus"] as? String == "valid")
        #expect(try verify(coop, list: list, [codes[0], codes[2]]).status == 0)

        // The chain command and the trace agree.
        #expect(try Self.yima(["chain", "--data", coop.data, codes[1]]).status == 16)
        let csv = try Self.yima(["recall", "trace", "--data", coop.data, RecordsCLITests.batch, "--csv"])
        #expect(csv.status == 0)
        let lines = csv.output.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "serial,carton,pallet,last_step,last_time,holder,recalled")
        #expect(lines.count == 4 && lines.filter { $0.hasSuffix(",yes") } == ["\(serial),,,,,zhouzhi-kiwi-coop,yes"])

        // The key revoked with unknown compromise time: every code flagged (15), and
        // the key signs nothing more.
        let kid = try coop.sql("SELECT key_id FROM party_keys")
        Coop.expectSuccess(try Self.yima(["party", "revoke-key", "--data", coop.data, "--authority-key",
                                          coop.dir.file("data/authority/authority.key"), "--party", "zhouzhi-kiwi-coop",
                                          "--kid", kid, "--reason", "签名 U 盘丢失"]))
        let revoked = try verify(coop, list: export(coop, "list-3.json"), codes)
        #expect(revoked.status == 15)
        #expect(revoked.output.contains("revoked with an unknown compromise time"), "\(revoked.output)")
        #expect(try Self.yima(["chain", "--data", coop.data, codes[0]]).status == 15)

        let records = try coop.sql("SELECT count(*) FROM records")
        let refused = try Self.yima(["recall", "issue", "--data", coop.data, "--key", coop.key, "--batch", RecordsCLITests.batch,
                                     "--reason", "x", "--action", "y"])
        #expect(refused.status == 1 && refused.stderr.contains("may not sign new records"), "\(refused.stderr)")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
    }

    @Test func anOlderListIsRefusedOnceANewerOneWasSeen() throws {
        let coop = try Coop()
        let codes = try coop.issue(1, out: "labels")
        let old = try export(coop, "list-old.json")
        let kid = try coop.sql("SELECT key_id FROM party_keys")
        Coop.expectSuccess(try Self.yima(["party", "revoke-key", "--data", coop.data, "--authority-key",
                                          coop.dir.file("data/authority/authority.key"), "--party", "zhouzhi-kiwi-coop",
                                          "--kid", kid, "--reason", "签名 U 盘丢失"]))
        let new = try export(coop, "list-new.json")

        // The old list alone is accepted (nothing seen yet) and remembered in the trust folder.
        #expect(try verify(coop, list: old, codes).status == 0)
        let state = coop.dir.file("data/authority/trust-state.json")
        #expect(FileManager.default.fileExists(atPath: state))
        // The newer list shows the revocation and is remembered; the same list again is fine.
        #expect(try verify(coop, list: new, codes).status == 15)
        #expect(try verify(coop, list: new, codes).status == 15)
        let remembered = try String(contentsOfFile: state, encoding: .utf8)
        // Now the old list is refused: status 1, the reason, the state unchanged.
        let refused = try Self.yima(["verify", "--lang", "en", "--trust", coop.dir.file("data/authority"), "--trust-list", old] + codes)
        #expect(refused.status == 1 && refused.stderr.contains("is older than version"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try String(contentsOfFile: state, encoding: .utf8) == remembered)
        let zh = try Self.yima(["verify", "--lang", "zh", "--trust", coop.dir.file("data/authority"), "--trust-list", old] + codes)
        #expect(zh.status == 1 && zh.stderr.contains("旧列表可能隐瞒之后的吊销或召回"), "\(zh.stderr)")

        // --trust-state elsewhere: a fresh file knows nothing yet; a corrupt one is a clear error.
        let other = coop.dir.file("elsewhere.json")
        #expect(try Self.yima(["verify", "--trust", coop.dir.file("data/authority"), "--trust-list", old,
                               "--trust-state", other] + codes).status == 0)
        try Data("{\"format\":".utf8).write(to: URL(fileURLWithPath: other))
        let corrupt = try Self.yima(["verify", "--lang", "en", "--trust", coop.dir.file("data/authority"), "--trust-list", new,
                                     "--trust-state", other] + codes)
        #expect(corrupt.status == 1 && corrupt.stderr.contains("trust-list state file \(other) is corrupt"), "\(corrupt.stderr)")
    }

    @Test func certificateLabelCarriesAQRThatResolvesToIt() throws {
        let coop = try Coop()
        let result = try Self.yima(["certificate", "issue", "--data", coop.data, "--key", coop.key, "--batch", RecordsCLITests.batch,
                                    "--quantity", "500", "--basis", "self_test", "--contact", "029-87000000",
                                    "--out", coop.dir.file("certificate.svg"), "--base-url", "https://trace.zhouzhi.gov.cn"])
        Coop.expectSuccess(result)
        let url = try #require(result.output.split(separator: "\n").last.map(String.init))
        #expect(url.hasPrefix("https://trace.zhouzhi.gov.cn/certificates/") && url.count == 42 + 64)
        let svg = try String(contentsOfFile: coop.dir.file("certificate.svg"), encoding: .utf8)
        #expect(svg.contains("承诺达标合格证") && svg.contains("周至猕猴桃") && svg.contains("500 千克") && svg.contains("☑ 自检合格"))
        #expect(try run("rsvg-convert", ["-w", "1600", coop.dir.file("certificate.svg"), "-o", coop.dir.file("certificate.png")]).status == 0)
        #expect(try run("zbarimg", ["--quiet", "--raw", "-Sbinary", coop.dir.file("certificate.png")]).output == url)
        #expect(try coop.sql("SELECT count(*) FROM notices WHERE type = 'certificate'") == "1")
    }

    @Test func reportAsCSVForTheCounty() throws {
        let coop = try Coop()
        _ = try coop.issue(4, out: "labels")
        let today = String(coop.time(daysAgo: 0).prefix(10))
        let csv = try Self.yima(["report", "--data", coop.data, "--from", today, "--until", today, "--by", "township", "--csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.output == "key,name,codes_issued,scans,copy_warnings,pin_verifications,recalls,certificates,certificate_receipts\r\n"
                + "610124103,610124103,4,0,0,0,0,0,0\r\ntotal,合计,4,0,0,0,0,0,0\r\n")
        let bad = try Self.yima(["report", "--data", coop.data, "--from", today, "--until", today, "--by", "village"])
        #expect(bad.status != 0 && bad.stderr.contains("--by is party, product or township"))
    }

    @Test func keyChangesForUnknownKeysOrWithoutTheAuthorityStoreNothing() throws {
        let coop = try Coop()
        let records = try coop.sql("SELECT count(*) FROM records")
        let unknown = try Self.yima(["party", "revoke-key", "--data", coop.data, "--authority-key",
                                     coop.dir.file("data/authority/authority.key"), "--party", "zhouzhi-kiwi-coop",
                                     "--kid", "0123456789abcdef", "--reason", "x"])
        #expect(unknown.status == 1 && unknown.stderr.contains("0123456789abcdef is not a registered key"), "\(unknown.stderr)")
        Coop.expectSuccess(try Self.yima(["keys", "generate", "--out", coop.dir.file("keys/new")]))
        let kid = try coop.sql("SELECT key_id FROM party_keys")
        let notAuthority = try Self.yima(["party", "rotate-key", "--data", coop.data, "--authority-key", coop.key,
                                          "--party", "zhouzhi-kiwi-coop", "--kid", kid, "--new-key", coop.dir.file("keys/new.pub")])
        #expect(notAuthority.status == 1 && notAuthority.stderr.contains("county authority"), "\(notAuthority.stderr)")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
        #expect(try coop.sql("SELECT count(*) FROM records WHERE kind = 'key'") == "0")
    }
}
