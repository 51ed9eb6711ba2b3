import Foundation
import Testing
import YimaTestSupport

/// `yima export national` (docs/national-format.md) over a season that passes every
/// stage: production, storage, processing (packing), transport, purchase (receiving),
/// then a sale, an external trace code and a natural-person carrier. Every document is
/// validated against docs/schemas/national-document.json by Python's jsonschema with
/// format checking (scripts/validate-national.py), an implementation not ours.
@Suite struct NationalExportCLITests {
    typealias Coop = RecordsCLITests.Coop
    static let gtin = RecordsCLITests.gtin, lot = RecordsCLITests.lot
    static let sscc = "069200000000000012"

    /// The cooperative's season, with a carrier (a natural person) and a market.
    static func season() throws -> (coop: Coop, serials: [String]) {
        let coop = try Coop()
        func yima(_ arguments: [String]) throws { Coop.expectSuccess(try CLITests.yima(arguments)) }
        for name in ["carrier", "market"] { try yima(["keys", "generate", "--out", coop.dir.file("keys/\(name)")]) }
        try coop.write("keys/carrier.json", """
            {"id":"wang-transport","name":"王建国","roles":["carrier"],"address":"陕西省西安市周至县楼观镇",
             "person_id":{"salt":"00112233445566778899aabbccddeeff","sha256":"\(String(repeating: "ab", count: 32))"},
             "public_keys":["carrier.pub"]}
            """)
        try coop.write("keys/market.json", """
            {"id":"xian-market","name":"西安市农产品批发市场有限公司","roles":["market","retailer"],
             "credit_code":"91610100MA6U0T0C0B","address":"陕西省西安市未央区","public_keys":["market.pub"]}
            """)
        for name in ["carrier", "market"] {
            try yima(["party", "add", "--data", coop.data, "--authority-key", coop.dir.file("data/authority/authority.key"),
                      "--file", coop.dir.file("keys/\(name).json")])
        }
        func event(_ signer: String, _ name: String, _ type: String, daysAgo: Double?, _ data: String) throws {
            let time = daysAgo.map { coop.time(daysAgo: $0) } ?? Self.now()
            try coop.write("\(name).json", """
                {"type":"\(type)","batch":{"gtin":"\(gtin)","lot":"\(lot)"},"time":"\(time)","data":\(data)}
                """)
            try yima(["event", "record", "--data", coop.data, "--key", coop.dir.file("keys/\(signer).key"), "--file", coop.dir.file("\(name).json")])
        }
        try event("coop", "pesticide", "input_application", daysAgo: 40, """
            {"input":"pesticide","name":"吡虫啉","registration_number":"PD20080123","active_ingredient":"吡虫啉 10%",
             "dose":{"unit":"克/升","value":"0.75"},"method":"喷雾","date":"\(coop.time(daysAgo: 40).prefix(10))","safety_interval_days":14}
            """)
        try event("coop", "harvest", "harvest", daysAgo: 20, #"{"date":"\#(coop.time(daysAgo: 20).prefix(10))","quantity":{"unit":"KGM","value":"11800"}}"#)
        try event("coop", "storing", "storing", daysAgo: 19, #"{"location":"周至县冷库 2 号","temperature":"2"}"#)
        try event("coop", "alias", "external_code", daysAgo: 18, #"{"code":"SN610000-2026-0007","platform":"陕西省农产品质量安全追溯平台"}"#)
        let serials = try coop.issue(3, out: "codes").map { String($0.components(separatedBy: "/21/")[1].split(separator: "?")[0]) }
        let units = serials.map { "\"\($0)\"" }.joined(separator: ",")
        // Events after issuance are timed now: issuance stamps the current clock.
        try event("coop", "packing", "packing", daysAgo: nil, #"{"sscc":"\#(sscc)","units":[\#(units)]}"#)
        try event("coop", "shipping", "shipping", daysAgo: nil,
                  #"{"from":"zhouzhi-kiwi-coop","to":"xian-market","carrier":"wang-transport","sscc":["\#(sscc)"]}"#)
        try event("market", "receiving", "receiving", daysAgo: nil, #"{"from":"zhouzhi-kiwi-coop","sscc":["\#(sscc)"]}"#)
        try event("market", "selling", "retail_selling", daysAgo: nil, #"{"location":"西安市农产品批发市场 A 区 12 号"}"#)
        return (coop, serials)
    }

    /// Now in China Standard Time, as event times are signed.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: Date())
    }

    /// Validates files with the schema; the errors it printed.
    static func schemaErrors(_ files: [String]) throws -> String {
        let script = Repository.root.appendingPathComponent("scripts/validate-national.py").path
        let result = try run("python3", [script] + files)
        #expect(result.status == 0 || !result.output.isEmpty, "validator failed to run: \(result.stderr)")
        return result.output + (result.status == 0 ? "" : result.stderr)
    }

    static func json(_ file: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
    }

    @Test func everyExportIsValidAndCarriesEveryStage() throws {
        let (coop, serials) = try Self.season()
        let all = coop.dir.file("all.json"), batch = coop.dir.file("batch.json"), today = coop.dir.file("today.json")
        Coop.expectSuccess(try CLITests.yima(["export", "national", "--data", coop.data, "--out", all]))
        Coop.expectSuccess(try CLITests.yima(["export", "national", "--data", coop.data, "--batch", "\(Self.gtin)/\(Self.lot)", "--out", batch]))
        let day = String(Self.now().prefix(10))
        Coop.expectSuccess(try CLITests.yima(["export", "national", "--data", coop.data, "--from", day, "--until", day, "--out", today]))
        let stdout = try CLITests.yima(["export", "national", "--data", coop.data])
        try stdout.stdout.write(to: URL(fileURLWithPath: coop.dir.file("stdout.json")))
        #expect(try Self.schemaErrors([all, batch, today, coop.dir.file("stdout.json")]) == "")

        let document = try Self.json(all)
        let records = Int(try coop.sql("SELECT count(*) FROM records"))!
        let subjects = try #require(document["subjects"] as? [[String: Any]])
        let stages = try #require(document["stages"] as? [[String: Any]])
        let extensions = try #require(document["extensions"] as? [[String: Any]])
        let products = try #require(document["products"] as? [[String: Any]])
        // Every record once, wherever it belongs.
        let sequences = (subjects + stages + extensions + products).compactMap { $0["sequence"] as? Int }.sorted()
        #expect(sequences == Array(0..<records))
        #expect(Set(stages.compactMap { $0["stage_name"] as? String }) == ["生产", "收购", "储存", "运输", "加工"])

        let carrier = try #require(subjects.first { $0["party_id"] as? String == "wang-transport" })
        #expect(carrier["subject_type"] as? String == "natural_person" && carrier["subject_code"] as? String == "wang-transport")
        let coopSubject = try #require(subjects.first { $0["party_id"] as? String == "zhouzhi-kiwi-coop" })
        #expect(coopSubject["subject_type"] as? String == "legal_person" && coopSubject["subject_code"] as? String == "93610124MA6TQ3KX0C")

        let transport = try #require(stages.first { $0["stage"] as? String == "transport" })
        #expect((transport["source"] as? [String: Any])?["subject_code"] as? String == "93610124MA6TQ3KX0C")
        #expect((transport["destination"] as? [String: Any])?["subject_code"] as? String == "91610100MA6U0T0C0B")
        #expect((transport["carrier"] as? [String: Any])?["party_id"] as? String == "wang-transport")
        let outbound = try #require(transport["outbound_batch"] as? [String: Any])
        #expect(outbound["trace_code"] as? String == "(01)\(Self.gtin)(10)\(Self.lot)")
        #expect(outbound["aliases"] as? [String] == ["SN610000-2026-0007"])
        #expect(outbound["containers"] as? [String] == [Self.sscc])
        let packing = try #require(stages.first { $0["stage"] as? String == "processing" })
        let container = try #require(packing["outbound_batch"] as? [String: Any])
        #expect(container["trace_code"] as? String == "(00)\(Self.sscc)" && container["units"] as? [String] == serials)
        let birth = try #require(stages.first { $0["activity"] as? String == "batch" })
        #expect((birth["source"] as? [String: Any])?["division"] as? String == "610124103201")
        #expect(birth["inbound_batch"] == nil)
        #expect(Set(extensions.compactMap { $0["type"] as? String }) == ["external_code", "retail_selling"])

        // The batch: its chain and the parties and product it names, no more.
        let one = try Self.json(batch)
        #expect((one["selection"] as? [String: Any])?["batch"] as? String == "\(Self.gtin)/\(Self.lot)")
        #expect(Set((one["subjects"] as? [[String: Any]] ?? []).compactMap { $0["party_id"] as? String })
                == ["zhouzhi-kiwi-coop", "wang-transport", "xian-market"])
        // Today: only what was signed today (the events after issuance) and stored today.
        let window = try Self.json(today)
        let todayStages = (window["stages"] as? [[String: Any]] ?? []).compactMap { $0["activity"] as? String }
        #expect(todayStages.contains("packing") && !todayStages.contains("harvest"), "\(todayStages)")
    }

    @Test func badSelectionsAreRefusedAndWriteNothing() throws {
        let coop = try Coop()
        let out = coop.dir.file("out.json")
        for (arguments, expected) in [(["--batch", "\(Self.gtin)/NO-SUCH-LOT"], "NO-SUCH-LOT"),
                                      (["--batch", "06901234567893/LOT"], "batch.gtin"),
                                      (["--from", "2026-02-30"], "from"),
                                      (["--from", "2026-10-02", "--until", "2026-10-01"], "2026-10-01")] {
            let result = try CLITests.yima(["export", "national", "--data", coop.data, "--out", out, "--lang", "en"] + arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func theValidatorCatchesWhatTheSchemaForbids() throws {
        let coop = try Coop()
        let good = coop.dir.file("good.json")
        Coop.expectSuccess(try CLITests.yima(["export", "national", "--data", coop.data, "--out", good]))
        #expect(try Self.schemaErrors([good]) == "")
        // A wrong stage name, a malformed time, a transport record without its source.
        var document = try Self.json(good)
        var stages = try #require(document["stages"] as? [[String: Any]])
        stages[0]["stage_name"] = "收购"
        stages[0]["time"] = "2026-13-01T00:00:00Z"
        document["stages"] = stages
        let bad = coop.dir.file("bad.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: bad))
        let errors = try Self.schemaErrors([bad])
        #expect(errors.contains("/stages/0/stage_name") && errors.contains("/stages/0/time"), "\(errors)")
    }
}
