import Foundation
import Testing
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// 承诺达标合格证 (docs/records.md §Certificate): signed as an event, refused with the
/// reason while the batch may not be sold, and pointing at its sources after a split
/// or merge.
@Suite struct CertificateTests {
    static let quantity: JSONValue = .object(["value": "500", "unit": "KGM"])

    @Test func issuedForASafeBatchAndShownWithItsChain() throws {
        let farm = try Farm()  // the only spray was 30 days ago, 14-day interval
        try farm.inspect(["吡虫啉"])  // 用什么药、检什么药: a test-based certificate needs it
        let stored = try farm.certificates.issue(batch: Farm.reference, quantity: Self.quantity, basis: "self_test",
                                                       contact: "029-87000000", key: farm.coop)
        let id = try Envelope(encoded: stored.envelope).recordID
        let view = try #require(try farm.certificates.certificate(id: id))
        #expect(view.certificate.basis == .selfTest && view.certificate.quantity.value.description == "500")
        #expect(view.certificate.number.hasPrefix("\(Farm.lot)-"))
        #expect(view.product?.name == "周至猕猴桃" && view.issuer?.id.rawValue == Farm.coopID && view.recall == nil)
        #expect(try farm.store.notices(type: "certificate").count == 1)
        // Anything else is no certificate.
        #expect(try farm.certificates.certificate(id: try #require(farm.events().first).id) == nil)
    }

    @Test func refusedWhileASafetyIntervalRunsOrAfterAFailedInspection() throws {
        let farm = try Farm()
        try farm.submitEvent("input_application", daysAgo: 2, data: Farm.spray("阿维菌素", date: farm.date(daysAgo: 2), interval: 7))
        var before = try farm.snapshot()
        var error = #expect(throws: ServiceError.self) {
            try farm.certificates.issue(batch: Farm.reference, quantity: Self.quantity, basis: "self_test",
                                              contact: "029-87000000", key: farm.coop)
        }
        guard case .rule(let interval)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(interval.rule == .safetyInterval)
        #expect(interval.message(in: .chinese).contains("不能出具合格证") && interval.message(in: .chinese).contains("阿维菌素"))
        #expect(interval.message(in: .english).contains("may not be sold before \(farm.date(daysAgo: -5))"))
        #expect(try farm.snapshot() == before)

        let failing = try Farm()
        try failing.submitEvent("inspection", daysAgo: 1, data: """
            {"laboratory":"\(Farm.labID)","report_number":"ZZ-2026-1101","pass":false,
             "items":[{"name":"毒死蜱","method":"GB 23200.113-2018","result":"0.05","limit":"0.02","unit":"mg/kg","pass":false}]}
            """, key: failing.lab)
        before = try failing.snapshot()
        error = #expect(throws: ServiceError.self) {
            try failing.certificates.issue(batch: Farm.reference, quantity: Self.quantity, basis: "commissioned_test",
                                                 contact: "029-87000000", key: failing.coop)
        }
        guard case .rule(let inspection)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(inspection.rule == .failedInspection && inspection.message(in: .english).contains("ZZ-2026-1101"))
        #expect(try failing.snapshot() == before)
    }

    @Test func aMergedLotPointsAtItsSourcesAndOnlyTheOwnerIssues() throws {
        let farm = try Farm()
        let first = try farm.certificates.issue(batch: Farm.reference, quantity: Self.quantity, basis: "internal_control",
                                                      contact: "029-87000000", key: farm.coop)
        let firstID = try Envelope(encoded: first.envelope).recordID
        try farm.recording.submit(draft: Farm.batch(lot: "2026-KIWI-MIX"), kind: .batch, key: farm.coop)
        let mixed = "\(Farm.gtin)/2026-KIWI-MIX"

        // A source that is no certificate, and a stranger's certificate: refused, nothing stored.
        let before = try farm.snapshot()
        let notACertificate = try #require(farm.events().first).id.hex
        let error = #expect(throws: ServiceError.self) {
            try farm.certificates.issue(batch: BatchReference(key: mixed), quantity: Self.quantity, basis: "internal_control",
                                              contact: "029-87000000", sources: [notACertificate], key: farm.coop)
        }
        guard case .rejected(.unknownReference, _, let zh)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(zh.contains("不是已登记的合格证"))
        let stranger = #expect(throws: ServiceError.self) {
            try farm.certificates.issue(batch: Farm.reference, quantity: Self.quantity, basis: "self_test",
                                              contact: "029-87000000", key: farm.carrier)
        }
        guard case .rule(let role)? = stranger else { Issue.record("\(String(describing: stranger))"); return }
        #expect(role.rule == .role)
        #expect(try farm.snapshot().records == before.records)

        let merged = try farm.certificates.issue(batch: BatchReference(key: mixed), quantity: .object(["value": "800", "unit": "KGM"]),
                                                       basis: "internal_control", contact: "029-87000000",
                                                       sources: [firstID.hex], key: farm.coop)
        let view = try #require(try farm.certificates.certificate(id: try Envelope(encoded: merged.envelope).recordID))
        #expect(view.certificate.sources == [firstID] && view.batch.lot.rawValue == "2026-KIWI-MIX")
    }
}
