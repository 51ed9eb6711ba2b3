import Foundation
import Testing
import YimaCodes
import YimaService
import YimaStore
import YimaTestSupport

/// `Reports.report` (docs/report.md) over a real store: counts checked against
/// what the test itself did.
@Suite struct ReportTests {
    @Test func countsWhatHappenedInTheRangeAndNothingOutsideIt() throws {
        let farm = try Farm()
        let codes = try farm.issue(3)
        let scans = farm.store
        let now = Int64(Date().timeIntervalSince1970)
        func observe(_ code: UnitCode, clients: Int) -> [ScanObservation] {
            (0..<clients).map { ScanObservation(gtin: code.gtin, lot: code.lot, serial: code.serial, client: Array(repeating: UInt8($0), count: 16), time: now) }
        }
        try scans.recordScans(observe(codes[0], clients: 3) + observe(codes[1], clients: 7))
        let secret = try ServerSecret.load(farm.data)
        _ = try farm.issuance.issuePins(batch: Farm.reference, secret: secret, outputDirectory: farm.dir.file("pins"))
        let pins = try String(contentsOfFile: farm.dir.file("pins/pins.csv"), encoding: .utf8)
        let pin = try #require(pins.split(separator: "\n").first { $0.hasPrefix(codes[2].serial) }?.split(separator: ",").last)
        _ = try farm.issuance.verifyPin(gtin: Farm.gtin, lot: Farm.lot, serial: codes[2].serial, pin: String(pin), secret: secret)
        try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "500", "unit": "KGM"]), basis: "internal_control",
                                          contact: "029-87000000", key: farm.coop)
        try farm.recalls.recall(batch: Farm.reference, units: [codes[1].serial], reason: "复制码", action: "核查", key: farm.coop)

        let today = Farm.format(Date(), "yyyy-MM-dd")
        let report = try farm.reports.report(from: farm.date(daysAgo: 1), until: today, by: .party)
        #expect(report.rows.count == 1)
        let row = try #require(report.rows.first)
        #expect(row.key == Farm.coopID && row.name == "周至县猕猴桃专业合作社")
        #expect(row.counts.values == [3, 10, 1, 1, 1, 1, 0])
        #expect(report.total.csvFields == ["total", "合计", "3", "10", "1", "1", "1", "1", "0"])
        #expect(report.scansPerDay == [DailyScans(day: today, scans: 10)])
        #expect(report.csv.hasPrefix("key,name,codes_issued,scans,copy_warnings,pin_verifications,recalls,certificates,certificate_receipts\r\n"))
        #expect(report.csv.contains("\r\n\(Farm.coopID),周至县猕猴桃专业合作社,3,10,1,1,1,1,0\r\n"))

        let township = try farm.reports.report(from: today, until: today, by: .township)
        #expect(township.rows.map(\.key) == ["610124103"])
        let product = try farm.reports.report(from: today, until: today, by: .product)
        #expect(product.rows.map(\.name) == ["周至猕猴桃"])

        // Days before anything happened: zeros.
        let before = try farm.reports.report(from: farm.date(daysAgo: 10), until: farm.date(daysAgo: 2), by: .party)
        #expect(before.total.counts.values.allSatisfy { $0 == 0 } && before.scansPerDay.isEmpty)

        #expect(throws: ServiceError.self) { try farm.reports.report(from: today, until: farm.date(daysAgo: 1), by: .party) }
        #expect(throws: ServiceError.self) { try farm.reports.report(from: "2026-13-01", until: today, by: .party) }
    }
}
