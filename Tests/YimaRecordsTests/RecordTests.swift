import Foundation
import Testing
import YimaCrypto
import YimaTestSupport
@testable import YimaRecords

@Suite("Record types")
struct RecordTests {
    typealias F = Fixtures

    func decodeError(_ json: String) -> RecordError? {
        guard let value = try? CanonicalJSON.parse(Array(json.utf8)) else { return nil }
        do { _ = try Record(payload: CanonicalJSON.encode(value)); return nil } catch { return error }
    }

    @Test func unknownFieldsAreRejectedEverywhere() throws {
        var event = try CanonicalJSON.parse(Record.event(F.pesticideEvent).payload)
        guard case .object(var members) = event, case .object(var data) = members["data"]! else { Issue.record(); return }
        data["hidden"] = "x"
        members["data"] = .object(data)
        event = .object(members)
        #expect(throws: RecordError(field: "data.hidden", problem: .unknown)) { try Record(json: event) }
        #expect(decodeError(#"{"kind":"batch","v":1,"extra":true}"#)?.problem == .missing)
        #expect(decodeError(#"{"kind":"batch","v":2}"#)?.field == "v")
        #expect(decodeError(#"{"kind":"thing","v":1}"#)?.field == "kind")
        #expect(throws: RecordError.self) { try Record(payload: Array("{\"v\": 1}".utf8)) }
    }

    @Test func creditCodeCheckCharacter() {
        #expect(UnifiedSocialCreditCode(validating: "91350100M000100Y43") != nil)
        #expect(UnifiedSocialCreditCode(validating: "91350100M000100Y44") == nil)
        #expect(UnifiedSocialCreditCode.problem(with: "91350100M000100Y44")?.en.contains("expected 3") == true)
        #expect(UnifiedSocialCreditCode(validating: "Z1350100M000100Y43") == nil)   // no authority Z
        #expect(UnifiedSocialCreditCode(validating: "91350100M000I00Y43") == nil)   // I is not in the set
    }

    @Test func residentIdentityNumberAndItsDigest() throws {
        let number = try ResidentIdentityNumber("11010519491231002X")   // GB 11643-1999 example
        #expect(ResidentIdentityNumber(validating: "110105194912310021") == nil)
        #expect(ResidentIdentityNumber(validating: "11010519491331002X") == nil)   // month 13
        let digest = PersonalIDDigest(number: number, salt: "00112233445566778899aabbccddeeff")
        #expect(digest.sha256 == Hex.encode(Digest.sha256(Array("00112233445566778899aabbccddeeff11010519491231002X".utf8))))
        #expect(digest.matches(number))
        let farmer = try Party(id: PartyID("farmer-wang"), name: "王某", roles: [.producer], identifier: .naturalPerson(digest),
                               address: "周至县楼观镇", publicKeys: [])
        let payload = String(decoding: Record.party(farmer).payload, as: UTF8.self)
        #expect(!payload.contains("11010519491231002X"))
        #expect(try Record(payload: Record.party(farmer).payload) == .party(farmer))
    }

    @Test func partyKeysMustMatchTheirIDs() throws {
        var json = try CanonicalJSON.parse(Record.party(F.producer).payload)
        guard case .object(var members) = json, case .array(let keys) = members["public_keys"]!, case .object(var key) = keys[0] else { Issue.record(); return }
        key["kid"] = "0000000000000000"
        members["public_keys"] = .array([.object(key)])
        json = .object(members)
        #expect(throws: RecordError.self) { try Record(json: json) }
    }

    @Test func countyAssignedProductCodes() throws {
        let code = try GTIN.countyAssigned(county: "610124", item: 7)
        #expect(code.rawValue.hasPrefix("0296101240007") && code.rawValue.count == 14)
        #expect(GTIN(validating: code.rawValue) != nil && code.isCountyAssigned && code.countyCode == "610124")
        #expect(!F.gtin.isCountyAssigned)
        #expect(GTIN(validating: "06901234567893") == nil)
    }

    @Test func valueShapes() {
        for good in ["0", "12", "0.75", "-34.2712", "34.2712"] { #expect(DecimalString(validating: good) != nil, "\(good)") }
        for bad in ["", ".75", "0.750", "01", "+1", "-0", "1e3", "1.", "1,5"] { #expect(DecimalString(validating: bad) == nil, "\(bad)") }
        for good in ["PD20080123", "LS20150012", "PD85150-43", "WP20180001"] { #expect(PesticideRegistrationNumber(validating: good) != nil, "\(good)") }
        for bad in ["PD2008012", "XX20080123", "pd20080123", "PD20080123-"] { #expect(PesticideRegistrationNumber(validating: bad) == nil, "\(bad)") }
        #expect(DivisionCode(validating: "610124103201") != nil)
        #expect(DivisionCode(validating: "990124103201") == nil)
        #expect((try? Timestamp("2026-09-15T08:30:00Z")) == nil)
        #expect((try? Timestamp("2026-09-15T08:30:00.250+08:00"))?.instant.nanoseconds == 250_000_000)
        #expect((try? Timestamp("2026-09-15T08:30:00+08:00"))?.instant == (try? Timestamp("2026-09-15T00:30:00+00:00"))?.instant)
        #expect((try? CalendarDate("2028-02-29"))?.adding(days: 1).description == "2028-03-01")
    }

    @Test func inspectionPassMustAgreeWithItems() {
        let item = InspectionItem(name: "毒死蜱", method: "GB 23200.113-2018", result: "0.5", limit: "0.02", unit: "mg/kg", pass: false)
        #expect(throws: RecordError.self) {
            try Event(batch: F.batchReference, previous: F.batchID, time: F.time("2026-09-12T10:00:00+08:00"), actor: F.producerID,
                      data: .inspection(laboratory: F.producerID, items: [item], pass: true, reportNumber: "R1"))
        }
    }

    /// Every business step is a CBV 2.0 value from the EPCIS 2.0 JSON schema's enum, or a URI outside the CBV namespaces.
    @Test func businessStepsAreCBVOrOwnURIs() throws {
        let url = Repository.conformance.appendingPathComponent("epcis/schema/EPCIS-JSON-Schema.json")
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let definitions = schema["definitions"] as! [String: Any]
        let bizStep = (definitions["bizStep"] as! [String: Any])["anyOf"] as! [[String: Any]]
        let cbv = Set(bizStep.compactMap { $0["enum"] as? [String] }.flatMap { $0 })
        #expect(cbv.contains("inspecting") && !cbv.contains("harvesting"))
        for type in EventType.allCases {
            let step = type.businessStep
            if cbv.contains(step) { continue }
            #expect(step.hasPrefix("urn:yima:bizstep:") && !step.hasPrefix("urn:epcglobal:cbv"), "\(type): \(step)")
        }
        #expect(EventType.harvest.businessStep == "creating_class_instance")
        #expect(EventType.unitIssuance.businessStep == "commissioning")
    }

    @Test func traceCodesAreURLPathSafe() throws {
        for good in ["SC510000-2026-0001", "a", "NC.unit_0001~a", String(repeating: "9", count: 64)] {
            #expect(TraceAlias(validating: good) != nil, "\(good)")
        }
        for bad in ["", ".", "..", "SC/1", "SC 1", "SC%201", "码1", String(repeating: "9", count: 65)] {
            #expect(throws: RecordError.self, "\(bad)") { try TraceAlias(bad, field: "data.code") }
        }
    }

    @Test func everyEventTypeRoundTrips() throws {
        let serial = try Serial("K3M9Q2ZC7W1A")
        let sscc = try SSCC("069012340000000016")
        let datas: [EventData] = [
            .planting(method: "移栽", area: try Quantity(value: F.decimal("2.5"), unit: .hectare), note: nil),
            F.pesticideEvent.data,
            .fertilizer(FertilizerApplication(name: "腐熟羊粪", type: "有机肥", amount: F.kilograms("3000"), date: F.date("2026-03-10"))),
            .care(activity: .pestObservation, note: "见少量蚜虫", photoSHA256: F.batchID.hex),
            .harvest(date: F.date("2026-09-20"), quantity: F.kilograms("11800")),
            .inspection(laboratory: try PartyID("county-lab"), items: [InspectionItem(name: "毒死蜱", method: "GB 23200.113-2018", result: "未检出", pass: true)],
                        pass: true, reportNumber: "ZZ2026-0912"),
            .unitIssuance(UnitIssuance(count: 1000, keyID: F.testKey.id)),
            .unitIssuance(UnitIssuance(count: 20, keyID: F.testKey.id, unitsRoot: IssuedSetRoot(hex: F.batchID.hex),
                                       unitQuantity: F.kilograms("5"))),
            .certificate(ComplianceCertificate(number: "ZZ-0001", quantity: F.kilograms("500"), basis: .selfTest,
                                               contact: "029-87000000", sources: [F.batchID])),
            .certificateReceipt(CertificateReceipt(certificate: F.batchID, from: F.producerID, quantity: F.kilograms("200"))),
            .certificateReceipt(CertificateReceipt(certificate: F.batchID, from: F.producerID)),
            .packing(sscc: sscc, contents: .units([serial])),
            .storing(location: "楼观镇冷库 2 号", temperature: F.decimal("-1.5"), note: nil),
            .shipping(from: F.producerID, to: try PartyID("xian-market"), carrier: try PartyID("cold-chain"), units: [], containers: [sscc]),
            .receiving(from: F.producerID, units: [serial], containers: []),
            .retailSelling(location: "西安朱雀市场", quantity: nil),
            .recall(reason: "抽检不合格", action: "下架并召回"),
            .correction(corrects: F.batchID, reason: "批号录入错误", replacement: F.batchID),
            .externalCode(ExternalTraceCode(code: try TraceAlias("NC.unit_0001~a"), platform: "国家平台", serial: serial)),
        ]
        for data in datas {
            let event = try Event(batch: F.batchReference, previous: F.batchID, time: F.time("2026-09-20T10:00:00+08:00"), actor: F.producerID, data: data)
            #expect(try Record(payload: Record.event(event).payload) == .event(event), "\(data.type)")
        }
    }
}
