import Foundation
import Testing
import YimaTestSupport

/// Provenance records through the `yima` binary: a cooperative's data folder set up
/// with `init`, `party add`, `product add`, `batch create`, then imports, issuance
/// (and a `kill -9` in the middle of it) and chains, checked against the SQLite
/// file itself with the `sqlite3` command line.
@Suite struct RecordsCLITests {
    static let gtin = "02961012400074"
    static let lot = "2026-KIWI-07"
    static let batch = "\(gtin)/\(lot)"

    static func yima(_ arguments: [String]) throws -> CommandResult { try CLITests.yima(arguments) }

    /// A data folder with the authority, the cooperative, its product and batch and
    /// one planting 60 days ago.
    struct Coop {
        let dir: TemporaryDirectory
        var data: String { dir.file("data") }
        var key: String { dir.file("keys/coop.key") }
        var database: String { dir.file("data/yima.sqlite") }
        /// The PostgreSQL store (YIMA_DATABASE), if not the folder's SQLite file.
        let postgres: String?
        let now = Date()

        init(postgres: String? = nil) throws {
            self.postgres = postgres
            dir = try TemporaryDirectory()
            try Self.expectSuccess(yima(["init", "--data", dir.file("data"), "--demo-authority"]))
            try Self.expectSuccess(yima(["keys", "generate", "--out", dir.file("keys/coop")]))
            try write("keys/party.json", """
                {"id":"zhouzhi-kiwi-coop","name":"周至县猕猴桃专业合作社","roles":["cooperative","producer"],
                 "credit_code":"93610124MA6TQ3KX0C","address":"陕西省西安市周至县楼观镇周一村","contact":"029-87000000",
                 "public_keys":["coop.pub"]}
                """)
            try Self.expectSuccess(yima(["party", "add", "--data", data, "--authority-key", dir.file("data/authority/authority.key"),
                                         "--file", dir.file("keys/party.json")]))
            try write("product.json", """
                {"gtin":"\(RecordsCLITests.gtin)","name":"周至猕猴桃","variety":"徐香","category":"fruit","certificates":[]}
                """)
            try Self.expectSuccess(yima(["product", "add", "--data", data, "--key", key, "--file", dir.file("product.json")]))
            try write("batch.json", """
                {"gtin":"\(RecordsCLITests.gtin)","lot":"\(RecordsCLITests.lot)",
                 "origin":{"division":"610124103201","lat":"34.0812","lon":"108.3305","place":"楼观镇周一村 3 号地块"},
                 "season":"2026","quantity":{"unit":"KGM","value":"12000"}}
                """)
            try Self.expectSuccess(yima(["batch", "create", "--data", data, "--key", key, "--file", dir.file("batch.json")]))
            try write("planting.json", """
                {"type":"planting","batch":{"gtin":"\(RecordsCLITests.gtin)","lot":"\(RecordsCLITests.lot)"},
                 "time":"\(time(daysAgo: 60))","data":{"method":"嫁接苗定植","note":"徐香，株行距 3×4 米"}}
                """)
            try Self.expectSuccess(yima(["event", "record", "--data", data, "--key", key, "--file", dir.file("planting.json")]))
        }

        /// `yima` on this cooperative's store.
        func yima(_ arguments: [String]) throws -> CommandResult {
            var environment = ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin"]
            environment["YIMA_DATABASE"] = postgres
            return try run(CLITests.yima, arguments, environment: environment)
        }

        static func expectSuccess(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
        }

        func time(daysAgo days: Double) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
            return formatter.string(from: now.addingTimeInterval(-days * 86_400))
        }

        /// One value from the database, through the sqlite3 command line.
        func sql(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let result = try run("sqlite3", ["-batch", database, query])
            #expect(result.status == 0, "\(query): \(result.stderr)", sourceLocation: sourceLocation)
            return result.output.trimmingCharacters(in: .newlines)
        }

        func issue(_ count: Int, out: String) throws -> [String] {
            try Self.expectSuccess(yima(["issue", "--data", data, "--batch", RecordsCLITests.batch, "--key", key,
                                         "--count", "\(count)", "--format", "txt", "--out", dir.file(out)]))
            return try String(contentsOfFile: dir.file("\(out)/codes.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    // MARK: event import

    @Test func eventImportIsAllOrNothingAndNamesTheBadLine() throws {
        let coop = try Coop()
        let row = { (days: Double, activity: String, note: String) in
            "care,\(Self.gtin),\(Self.lot),\(coop.time(daysAgo: days)),\(activity),\(note)"
        }
        try coop.write("care.csv", [
            "type,gtin,lot,time,data.activity,data.note",
            row(20, "irrigation", "\"滴灌 2 小时，\"\"夜间\"\"补水\""),  // line 2
            row(19, "pruning", "夏季修剪"),                             // line 3
            row(18, "irrigation", "\"漫灌\n两小时\""),                    // lines 4–5: a control character in a note
            row(17, "weeding", "人工除草"),                             // line 6
        ].joined(separator: "\n") + "\n")
        let records = try coop.sql("SELECT count(*) FROM records")
        let head = try coop.sql("SELECT hex(head_id) FROM batches")

        let refused = try Self.yima(["event", "import", "--data", coop.data, "--key", coop.key, "--csv", coop.dir.file("care.csv")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("line 4: ") && refused.stderr.contains("data.note"), "\(refused.stderr)")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
        #expect(try coop.sql("SELECT hex(head_id) FROM batches") == head)

        let skipped = try Self.yima(["event", "import", "--data", coop.data, "--key", coop.key, "--csv", coop.dir.file("care.csv"),
                                     "--skip-invalid"])
        #expect(skipped.status == 2)
        #expect(skipped.stderr.contains("skipped line 4: "), "\(skipped.stderr)")
        #expect(!skipped.stderr.contains("line 2") && !skipped.stderr.contains("line 6"))
        #expect(skipped.output.contains("imported 3 events, skipped 1 rows"))
        #expect(try coop.sql("SELECT count(*) FROM records") == "\(Int(records)! + 3)")
        #expect(try coop.sql("SELECT event_count FROM batches") == "4")
    }

    // MARK: chain

    @Test func chainOfAGenuineCodeAndOfCodesNotInTheStore() throws {
        let coop = try Coop()
        let codes = try coop.issue(3, out: "labels")
        #expect(codes.count == 3)

        let chain = try Self.yima(["chain", "--data", coop.data, codes[1]])
        #expect(chain.status == 0, "\(chain.stderr)")
        #expect(chain.output.contains("genuine: issued by zhouzhi-kiwi-coop"))
        #expect(chain.output.contains("events (2, in hash-chain order)"))
        let lines = chain.output.split(separator: "\n")
        let planting = try #require(lines.firstIndex { $0.contains("planting") && $0.contains("周至县猕猴桃专业合作社") })
        let issuance = try #require(lines.firstIndex { $0.contains("unit issuance") && $0.contains("3 codes") })
        #expect(planting < issuance)
        let verified = try Self.yima(["chain", "--data", coop.data, "--verify", codes[1]])
        #expect(verified.status == 0 && verified.output.contains("every signature and hash link verified"))
        let chinese = try run(CLITests.yima, ["chain", "--data", coop.data, codes[1]], environment: ["PATH": "/usr/bin:/bin"])
        #expect(chinese.status == 0 && chinese.output.contains("真码") && chinese.output.contains("种植"))

        // Signed with the cooperative's registered key, but never issued into this store.
        #expect(try Self.yima(["issue", "--key", coop.key, "--gtin", Self.gtin, "--lot", Self.lot, "--count", "1",
                               "--format", "txt", "--out", coop.dir.file("offline")]).status == 0)
        let offline = try String(contentsOfFile: coop.dir.file("offline/codes.txt"), encoding: .utf8).trimmingCharacters(in: .newlines)
        let notIssued = try Self.yima(["chain", "--data", coop.data, offline])
        #expect(notIssued.status == 13, "\(notIssued.output)\(notIssued.stderr)")
        #expect(notIssued.output.contains("not issued by this system"))
    }

    /// A code of a batch this store has never heard of was not issued by it either.
    @Test
    func chainOfACodeFromAnUnknownBatchExits13() throws {
        let coop = try Coop()
        #expect(try Self.yima(["issue", "--key", coop.key, "--gtin", Self.gtin, "--lot", "2026-KIWI-99", "--count", "1",
                               "--format", "txt", "--out", coop.dir.file("elsewhere")]).status == 0)
        let code = try String(contentsOfFile: coop.dir.file("elsewhere/codes.txt"), encoding: .utf8).trimmingCharacters(in: .newlines)
        let result = try Self.yima(["chain", "--data", coop.data, code])
        #expect(result.status == 13, "\(result.stderr)")
    }

    @Test func chainJSONCarriesEveryEnvelope() throws {
        let coop = try Coop()
        let codes = try coop.issue(2, out: "labels")
        let result = try Self.yima(["chain", "--data", coop.data, "--json", "--verify", codes[0]])
        #expect(result.status == 0, "\(result.stderr)")
        let chain = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(chain["verdict"] as? String == "genuine" && chain["code"] as? String == codes[0])
        #expect((chain["problems"] as? [Any])?.isEmpty == true)
        let product = try #require(chain["product"] as? [String: Any])
        let batch = try #require(chain["batch"] as? [String: Any])
        let events = try #require(chain["events"] as? [[String: Any]])
        let entries = [product, batch] + events

        // Exactly the product's and the batch's records, each with its stored envelope.
        let stored = try coop.sql("SELECT lower(hex(id)) || ' ' || seq FROM records WHERE kind = 'product' OR batch_key = '\(Self.batch)' ORDER BY seq")
            .split(separator: "\n").map(String.init)
        #expect(entries.map { "\($0["id"] as? String ?? "?") \($0["log_index"] as? Int ?? -1)" } == stored)
        #expect(events.count == 2)
        for entry in entries {
            let id = try #require(entry["id"] as? String)
            let envelope = try #require(entry["envelope"] as? [String: Any])
            let text = try coop.sql("SELECT CAST(envelope AS TEXT) FROM records WHERE id = x'\(id)'")
            let original = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(NSDictionary(dictionary: envelope).isEqual(to: original), "\(id)")
            #expect(Set(envelope.keys) == ["alg", "kid", "payload", "sig", "v"])
        }
        let types = events.compactMap { ($0["record"] as? [String: Any])?["type"] as? String }
        #expect(types == ["planting", "unit_issuance"])
    }

    // MARK: kill -9

    /// A `kill -9` in the middle of issuing into the store leaves no units, no
    /// issuance event and no unit count; the next issuance works and repeats nothing.
    @Test func killedStoreIssuanceLeavesNothing() throws {
        let coop = try Coop()
        let records = try coop.sql("SELECT count(*) FROM records")
        let head = try coop.sql("SELECT hex(head_id) || ' ' || event_count FROM batches")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.yima)
        process.arguments = ["issue", "--data", coop.data, "--batch", Self.batch, "--key", coop.key,
                             "--count", "2000000", "--format", "txt", "--out", coop.dir.file("big")]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until the staging folder has codes in it (the transaction is open), then kill.
        let deadline = Date().addingTimeInterval(60)
        var staged: String?
        while Date() < deadline, staged == nil, process.isRunning {
            usleep(50_000)
            staged = try FileManager.default.contentsOfDirectory(atPath: coop.dir.path).first { $0.hasPrefix(".big.partial-") }
            if let name = staged, (try? FileManager.default.attributesOfItem(atPath: coop.dir.file(name + "/codes.txt"))[.size] as? Int) ?? 0 == 0 {
                staged = nil
            }
        }
        #expect(staged != nil)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: coop.dir.file("big")))

        #expect(try coop.sql("SELECT unit_count FROM batches") == "0")
        #expect(try coop.sql("SELECT count(*) FROM units") == "0")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
        #expect(try coop.sql("SELECT hex(head_id) || ' ' || event_count FROM batches") == head)
        #expect(try Self.eventTypes(coop) == ["planting"])
        #expect(try coop.sql("PRAGMA integrity_check") == "ok")

        // The next issuance succeeds, and none of its serials repeats.
        let codes = try coop.issue(10, out: "labels")
        let serials = codes.map { String($0.split(separator: "/21/")[1].split(separator: "?")[0]) }
        #expect(serials.count == 10 && Set(serials).count == 10)
        #expect(try coop.sql("SELECT count(*) FROM units") == "10")
        #expect(try coop.sql("SELECT count(DISTINCT serial) FROM units") == "10")
        #expect(try coop.sql("SELECT unit_count FROM batches") == "10")
        #expect(Set(try coop.sql("SELECT serial FROM units").split(separator: "\n").map(String.init)) == Set(serials))
        #expect(try Self.eventTypes(coop) == ["planting", "unit_issuance"])
        if let staged, let killed = try? String(contentsOfFile: coop.dir.file(staged + "/codes.txt"), encoding: .utf8) {
            #expect(serials.allSatisfy { !killed.contains("/21/\($0)?") })
        }
        for code in codes {
            #expect(try Self.yima(["chain", "--data", coop.data, code]).status == 0)
        }
    }

    /// The batch's event types, read from the stored envelopes' payloads.
    static func eventTypes(_ coop: Coop) throws -> [String] {
        let envelopes = try coop.sql("SELECT CAST(envelope AS TEXT) FROM records WHERE kind = 'event' ORDER BY seq")
        return try envelopes.split(separator: "\n").map { line in
            let envelope = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var payload = try #require(envelope["payload"] as? String)
                .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
            let bytes = try #require(Data(base64Encoded: payload))
            let record = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            return try #require(record["type"] as? String)
        }
    }

    /// `yima export epcis` and `yima import epcis` (docs/epcis.md): the document on
    /// standard output or in a file; an import of events already here refused by
    /// JSON path, a truncated file refused, non-zero exits and the database unchanged.
    @Test func epcisExportAndImportThroughTheBinary() throws {
        let coop = try Coop()
        let out = coop.dir.file("batch.jsonld")
        Coop.expectSuccess(try Self.yima(["export", "epcis", "--data", coop.data, "--batch", Self.batch, "--out", out]))
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("\"type\": \"EPCISDocument\"") && text.contains("\"eventID\": \"ni:///sha-256;"))
        let printed = try Self.yima(["export", "epcis", "--data", coop.data, "--batch", Self.batch])
        #expect(printed.status == 0 && printed.output.contains("urn:yima:bizstep:planting"))
        let records = try coop.sql("SELECT count(*) FROM records")
        let duplicate = try Self.yima(["import", "epcis", "--data", coop.data, "--key", coop.key, out])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("$.epcisBody.eventList[0].eventID")
                && duplicate.stderr.contains("already imported"), "\(duplicate.stderr)")
        try coop.write("cut.jsonld", String(text.prefix(200)))
        let cut = try Self.yima(["import", "epcis", "--data", coop.data, "--key", coop.key, coop.dir.file("cut.jsonld")])
        #expect(cut.status == 1 && cut.stderr.contains("truncated"), "\(cut.stderr)")
        #expect(try coop.sql("SELECT count(*) FROM records") == records)
        let unknown = try Self.yima(["export", "epcis", "--data", coop.data, "--batch", "\(Self.gtin)/NOPE"])
        #expect(unknown.status != 0 && unknown.stderr.contains("NOPE"), "\(unknown.stderr)")
    }
}
