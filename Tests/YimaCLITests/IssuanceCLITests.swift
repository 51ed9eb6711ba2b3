import Foundation
import Testing
import YimaTestSupport

/// The issued-set commitment from the command line (docs/issuance-commitment.md):
/// `yima verify --bundle` shows the proof of issuance, `yima audit --units` catches a
/// units table changed behind the events, and `yima issue` refuses over-issuance.
@Suite struct IssuanceCLITests {
    static func yima(_ arguments: [String]) throws -> CommandResult { try CLITests.yima(arguments) }

    @Test func aBundleProvesIssuanceAndTheAuditorCatchesATamperedUnitsTable() throws {
        let setup = try LedgerCLITests.Setup()
        let coop = setup.coop
        let made = try Self.yima(["bundle", setup.codes[1], "--data", coop.data])
        #expect(made.status == 0, "\(made.stderr)")
        try made.stdout.write(to: URL(fileURLWithPath: coop.dir.file("unit.bundle")))
        let bundle = try #require(try JSONSerialization.jsonObject(with: made.stdout) as? [String: Any])
        #expect((bundle["issuance"] as? [String: Any])?["leaf_index"] as? Int == 1)
        let verified = try Self.yima(["verify", "--bundle", coop.dir.file("unit.bundle"), "--trust", setup.trust, "--require-issuance"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.output.contains("proof of issuance: the code is leaf 1 of the 2 units"), "\(verified.output)")

        let audited = try Self.yima(["audit", "--units", "--data", coop.data])
        #expect(audited.status == 0 && audited.output.contains("2 units, matching its units_root"), "\(audited.output)\(audited.stderr)")

        // An operator adds a row behind the records: the auditor names the issuance.
        let issuedAt = try coop.sql("SELECT issued_at FROM units LIMIT 1")
        _ = try coop.sql("INSERT INTO units (gtin, lot, serial, key_id, signature, issued_at) "
                         + "SELECT gtin, lot, 'ZZZZZZZZZZZZ', key_id, signature, issued_at FROM units WHERE issued_at = \(issuedAt) LIMIT 1")
        let tampered = try Self.yima(["audit", "--units", "--data", coop.data])
        #expect(tampered.status == 20, "\(tampered.output)\(tampered.stderr)")
        #expect(tampered.output.contains("commits to 2 units") && tampered.output.contains("the units table gives 3"), "\(tampered.output)")
    }

    @Test func overIssuanceIsRefusedWithTheFiguresAndWritesNothing() throws {
        let coop = try RecordsCLITests.Coop()  // no harvest: the batch declares 12000 kg
        let records = try coop.sql("SELECT count(*) FROM records")
        let refused = try Self.yima(["issue", "--data", coop.data, "--batch", RecordsCLITests.batch, "--key", coop.key,
                                     "--count", "3", "--unit-quantity", "5000KGM", "--format", "txt", "--out", coop.dir.file("over")])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("[mass-balance]") && refused.stderr.contains("declared batch 12000 kg")
                && refused.stderr.contains("this issuance 15000 kg"), "\(refused.stderr)")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
        #expect(try coop.sql("SELECT count(*) FROM units") == "0")
        #expect(!FileManager.default.fileExists(atPath: coop.dir.file("over")))
        let bad = try Self.yima(["issue", "--data", coop.data, "--batch", RecordsCLITests.batch, "--key", coop.key,
                                 "--count", "3", "--unit-quantity", "KGM", "--out", coop.dir.file("bad")])
        #expect(bad.status == 64 && bad.stderr.contains("--unit-quantity KGM is not a quantity"), "\(bad.stderr)")

        let within = try Self.yima(["issue", "--data", coop.data, "--batch", RecordsCLITests.batch, "--key", coop.key,
                                    "--count", "3", "--unit-quantity", "4000KGM", "--format", "txt", "--out", coop.dir.file("ok")])
        #expect(within.status == 0, "\(within.stderr)")
        let today = String(coop.time(daysAgo: 0).prefix(10))
        let report = try Self.yima(["report", "--data", coop.data, "--from", today, "--until", today])
        #expect(report.status == 0 && report.output.contains("Mass balance per batch") && report.output.contains("12000 kg (declared)"),
                "\(report.output)")
    }
}
