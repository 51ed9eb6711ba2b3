import Foundation
import Testing
import YimaCrypto
import YimaTestSupport
@testable import YimaRecords

/// docs/schemas/ (JSON Schema 2020-12, one per record kind) and Yima's strict
/// decoder agree: every record of the published vectors, of
/// docs/test-vectors/records-v1/records.json and of every event type Yima encodes
/// is accepted by both, and every refused record of records.json is refused by both.
/// The schemas are checked with the Python jsonschema package (scripts/requirements-test.txt)
/// through scripts/validate-records.py.
@Suite struct RecordSchemaTests {
    struct Vectors: Decodable {
        struct Entry: Decodable { let name: String; let payload: String; let why: String? }
        let format: String
        let valid: [Entry]
        let invalid: [Entry]
    }
    static let vectors: Vectors = try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf:
        Repository.root.appendingPathComponent("docs/test-vectors/records-v1/records.json")))

    /// The schema verdict for each payload: nil when valid, else the first error.
    static func schemaVerdicts(_ payloads: [String]) throws -> [String?] {
        let script = Repository.root.appendingPathComponent("scripts/validate-records.py").path
        let input = try JSONEncoder().encode(payloads)
        let result = try run("python3", [script], input: input)
        try #require(result.status == 0, "validate-records.py failed (pip install -r scripts/requirements-test.txt?): \(result.stderr)")
        return try JSONDecoder().decode([String?].self, from: result.stdout)
    }

    @Test func validRecordsPassBothTheDecoderAndTheSchemas() throws {
        #expect(Self.vectors.format == "yima-record-vectors/1")
        let verdicts = try Self.schemaVerdicts(Self.vectors.valid.map(\.payload))
        var kinds = Set<String>()
        for (entry, verdict) in zip(Self.vectors.valid, verdicts) {
            #expect(verdict == nil, "\(entry.name): schema says \(verdict ?? "")")
            do {
                let record = try Record(payload: Array(entry.payload.utf8))
                #expect(record.payload == Array(entry.payload.utf8), "\(entry.name) does not re-encode to itself")
                if case .event(let event) = record { kinds.insert("event:" + event.type.rawValue) } else {
                    kinds.insert(String(entry.payload.split(separator: "\"kind\":\"")[1].prefix { $0 != "\"" }))
                }
            } catch {
                Issue.record("\(entry.name): Yima refuses it: \(error)")
            }
        }
        // Every kind and every event type is among them.
        #expect(kinds.isSuperset(of: ["party", "key", "product", "batch"]))
        #expect(kinds.isSuperset(of: EventType.allCases.map { "event:" + $0.rawValue }), "\(kinds)")
    }

    @Test func refusedRecordsAreRefusedByBoth() throws {
        #expect(Self.vectors.invalid.count >= 40)
        let verdicts = try Self.schemaVerdicts(Self.vectors.invalid.map(\.payload))
        for (entry, verdict) in zip(Self.vectors.invalid, verdicts) {
            // Canonical JSON, so only the record rules can refuse it.
            #expect(throws: Never.self, "\(entry.name)") { try CanonicalJSON.decode(Array(entry.payload.utf8)) }
            #expect(verdict != nil, "\(entry.name): the schema accepts what \(entry.why ?? "") forbids")
            #expect(throws: RecordError.self, "\(entry.name): Yima accepts what \(entry.why ?? "") forbids") {
                try Record(payload: Array(entry.payload.utf8))
            }
        }
    }

    /// What Yima itself writes for every event type validates too.
    @Test func recordsYimaEncodesValidate() throws {
        let serial = try Serial("K3M9Q2ZC7W1A")
        let sscc = try SSCC("069012340000000016")
        typealias F = Fixtures
        let datas: [EventData] = [
            .planting(method: "移栽", area: try Quantity(value: F.decimal("2.5"), unit: .hectare), note: nil),
            F.pesticideEvent.data,
            .fertilizer(FertilizerApplication(name: "腐熟羊粪", type: "有机肥", amount: F.kilograms("3000"), date: F.date("2026-03-10"))),
            .care(activity: .pestObservation, note: "见少量蚜虫", photoSHA256: F.batchID.hex),
            .harvest(date: F.date("2026-09-20"), quantity: F.kilograms("11800")),
            .inspection(laboratory: try PartyID("county-lab"),
                        items: [InspectionItem(name: "毒死蜱", method: "GB 23200.113-2018", result: "未检出", limit: "0.02", unit: "mg/kg", pass: true)],
                        pass: true, reportNumber: "ZZ2026-0912"),
            .unitIssuance(UnitIssuance(count: 1000, keyID: F.testKey.id)),
            .unitIssuance(UnitIssuance(count: 20, keyID: F.testKey.id, unitsRoot: IssuedSetRoot(hex: F.batchID.hex),
                                       unitQuantity: F.kilograms("5"))),
            .certificate(ComplianceCertificate(number: "ZZ-0001", quantity: F.kilograms("500"), basis: .selfTest,
                                               contact: "029-87000000", sources: [F.batchID])),
            .certificateReceipt(CertificateReceipt(certificate: F.batchID, from: F.producerID, quantity: F.kilograms("200"))),
            .certificateReceipt(CertificateReceipt(certificate: F.batchID, from: F.producerID)),
            .packing(sscc: sscc, contents: .units([serial])),
            .packing(sscc: sscc, contents: .cartons([try SSCC("069012340000000023")])),
            .storing(location: "楼观镇冷库 2 号", temperature: F.decimal("-1.5"), note: nil),
            .shipping(from: F.producerID, to: try PartyID("xian-market"), carrier: try PartyID("cold-chain"), units: [], containers: [sscc]),
            .receiving(from: F.producerID, units: [serial], containers: []),
            .retailSelling(location: "西安朱雀市场", quantity: nil),
            .recall(reason: "抽检不合格", action: "下架并召回", units: [serial]),
            .correction(corrects: F.batchID, reason: "批号录入错误", replacement: nil),
            .externalCode(ExternalTraceCode(code: try TraceAlias("SC510000-2026-0001"), platform: "四川省农产品质量安全追溯平台")),
            .externalCode(ExternalTraceCode(code: try TraceAlias("NC.unit_0001~a"), platform: "国家平台", serial: serial)),
        ]
        var payloads = [Record.party(F.producer).payload, Record.product(F.product).payload, Record.batch(F.batch).payload]
        for data in datas {
            let event = try Event(batch: F.batchReference, previous: F.batchID, time: F.time("2026-09-20T10:00:00+08:00"),
                                  actor: F.producerID, data: data)
            payloads.append(Record.event(event).payload)
        }
        let texts = payloads.map { String(decoding: $0, as: UTF8.self) }
        for (text, verdict) in zip(texts, try Self.schemaVerdicts(texts)) {
            #expect(verdict == nil, "\(text): \(verdict ?? "")")
        }
    }
}
