import Foundation
import Synchronization
import Testing
import YimaTestSupport

/// `yima upload` (docs/upload.md) against a real HTTP receiver in this process that
/// fails at random, and with the uploader killed by SIGKILL while a batch is in
/// flight: every record arrives exactly once, in log order, and a receiver that
/// answers garbage gets nothing marked sent.
@Suite(.serialized) struct UploadCLITests {
    typealias Coop = RecordsCLITests.Coop

    /// A cooperative's data folder with `care` events imported on top of its first
    /// records, so there are `events + 4` records in the log.
    static func coop(events: Int) throws -> Coop {
        let coop = try Coop()
        var rows = ["type,gtin,lot,time,data.activity,data.note"]
        for index in 0..<events {
            rows.append("care,\(RecordsCLITests.gtin),\(RecordsCLITests.lot),\(coop.time(daysAgo: 50 - Double(index) * 0.5)),irrigation,第 \(index + 1) 次滴灌")
        }
        try coop.write("care.csv", rows.joined(separator: "\n") + "\n")
        Coop.expectSuccess(try CLITests.yima(["event", "import", "--data", coop.data, "--key", coop.key, "--csv", coop.dir.file("care.csv")]))
        return coop
    }

    static func logSize(_ coop: Coop) throws -> Int64 { Int64(try coop.sql("SELECT count(*) FROM records"))! }

    static func status(_ coop: Coop, _ receiver: String) throws -> [String: Any] {
        let result = try CLITests.yima(["upload", "--data", coop.data, "--status", "--json", "--to", receiver])
        #expect(result.status == 0, "\(result.stderr)")
        let array = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]]
        return try #require(array?.first)
    }

    static let fastRetries = ["--retry-base-ms", "10", "--retry-max-ms", "200", "--timeout-seconds", "1"]

    @Test func everyRecordArrivesOnceAndInOrderThroughRandomFaults() throws {
        let coop = try Self.coop(events: 36)
        let receiver = try FlakyReceiver(faultRate: 0.5, seed: 20261001, slowSeconds: 1.5)
        defer { receiver.stop() }
        let size = try Self.logSize(coop)

        let result = try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url, "--batch-size", "4",
                                        "--max-attempts", "40", "--lang", "en"] + Self.fastRetries)
        #expect(result.status == 0, "\(result.stderr)")
        let state = receiver.state.withLock { $0 }
        #expect(state.complaints.isEmpty, "\(state.complaints)")
        #expect(state.received == Array(0..<size), "received \(state.received)")
        // The faults really happened, including a batch kept whose answer was lost.
        #expect(Set(state.faults.map { "\($0)" }).count >= 4, "\(state.faults)")
        #expect(state.duplicates == state.faults.filter { $0 == .dropAfterKeeping }.count)
        #expect(result.output.contains("reported \(size) records in 10 batches"), "\(result.output)")
        // Each batch's document is a valid national-format document of exactly its records.
        var files: [String] = []
        for (index, body) in state.bodies.enumerated() {
            let file = coop.dir.file("batch-\(index).json")
            try body.write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        #expect(try NationalExportCLITests.schemaErrors(files) == "")

        let after = try Self.status(coop, receiver.url)
        #expect(after["pending_records"] as? Int == 0 && after["accepted_through"] as? Int == Int(size - 1))
        #expect(after["in_flight"] == nil && after["last_error"] == nil)

        // Nothing pending: a second run sends nothing. New records: only they go.
        let requests = state.requests
        #expect(try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url] + Self.fastRetries).status == 0)
        #expect(receiver.state.withLock { $0.requests } == requests)
        try coop.write("more.csv", "type,gtin,lot,time,data.activity,data.note\ncare,\(RecordsCLITests.gtin),\(RecordsCLITests.lot),\(coop.time(daysAgo: 1)),weeding,人工除草\n")
        Coop.expectSuccess(try CLITests.yima(["event", "import", "--data", coop.data, "--key", coop.key, "--csv", coop.dir.file("more.csv")]))
        let again = try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url, "--batch-size", "4",
                                       "--max-attempts", "40"] + Self.fastRetries)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(receiver.state.withLock { $0.received } == Array(0..<(size + 1)))
    }

    /// The same faults with `--format epcis`: every record's position arrives once and in
    /// order, the events are exactly `yima export epcis`'s, and each document validates
    /// against the GS1 schema with the GS1 prototype's event hashes.
    @Test func everyEventArrivesOnceAndInOrderAsEPCISThroughRandomFaults() throws {
        let coop = try Self.coop(events: 12)
        let receiver = try FlakyReceiver(faultRate: 0.5, seed: 20261001, slowSeconds: 1.5)
        defer { receiver.stop() }
        let size = try Self.logSize(coop)

        let result = try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url, "--format", "epcis",
                                        "--batch-size", "4", "--max-attempts", "40", "--lang", "en"] + Self.fastRetries)
        #expect(result.status == 0, "\(result.stderr)")
        let state = receiver.state.withLock { $0 }
        #expect(state.complaints.isEmpty, "\(state.complaints)")
        #expect(state.received == Array(0..<size), "received \(state.received)")
        // This seed gives slow answers, a 500 and batches kept whose answer was lost.
        #expect(state.faults.contains(.dropAfterKeeping) && state.faults.contains(.serverError), "\(state.faults)")
        #expect(state.duplicates == state.faults.filter { $0 == .dropAfterKeeping }.count)

        var files: [String] = [], listed: [[String]] = [], skipped: [String] = []
        for (index, body) in state.bodies.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(object["format"] as? String == "epcis")
            let records = try #require((object["batch"] as? [String: Any])?["records"] as? [[String: Any]])
            listed.append(records.compactMap { $0["event_id"] as? String })
            skipped += records.filter { $0["event_id"] == nil }.compactMap { $0["kind"] as? String }
            let file = coop.dir.file("epcis-batch-\(index).jsonld")
            try JSONSerialization.data(withJSONObject: try #require(object["document"])).write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        let script = Repository.root.appendingPathComponent("scripts/epcis-check.py").path
        let check = try run("python3", [script] + files)
        try #require(check.status == 0, "epcis-check.py failed (pip install -r scripts/requirements-test.txt?): \(check.stderr)")
        let checks = try #require(try JSONSerialization.jsonObject(with: check.stdout) as? [[String: Any]])
        #expect(checks.count == files.count)
        for (index, document) in checks.enumerated() {
            #expect((document["schema_errors"] as? [String])?.isEmpty == true, "\(document)")
            #expect(document["adjusted_hashes"] as? [String] == listed[index], "\(document)")
        }
        // The events, batch after batch, are the export's events in its order; the
        // records without an EPCIS event (party, product, batch) were listed and skipped.
        let export = try CLITests.yima(["export", "epcis", "--data", coop.data, "--batch", RecordsCLITests.batch])
        #expect(export.status == 0, "\(export.stderr)")
        let exported = try #require(try JSONSerialization.jsonObject(with: export.stdout) as? [String: Any])
        let eventList = try #require((exported["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
        #expect(listed.flatMap { $0 } == eventList.compactMap { $0["eventID"] as? String })
        #expect(skipped.count == Int(size) - eventList.count && !skipped.contains("event"), "\(skipped)")
    }

    @Test func killedMidBatchResumesAndEveryRecordArrivesOnce() throws {
        let coop = try Self.coop(events: 20)
        let receiver = try FlakyReceiver(faultRate: 0)
        defer { receiver.stop() }
        let size = try Self.logSize(coop)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.builtProduct("yima"))
        process.arguments = ["upload", "--data", coop.data, "--to", receiver.url, "--batch-size", "3"] + Self.fastRetries
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let killed = Mutex(false)
        // The third batch is kept by the receiver, then the uploader dies before it
        // reads the answer: the batch is in flight in its store.
        receiver.afterKeeping.withLock { hook in
            hook = { kept in
                guard kept == 3 else { return }
                kill(process.processIdentifier, SIGKILL)
                killed.withLock { $0 = true }
            }
        }
        try process.run()
        process.waitUntilExit()
        #expect(killed.withLock { $0 })
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        receiver.afterKeeping.withLock { $0 = nil }

        let stuck = try Self.status(coop, receiver.url)
        #expect(stuck["accepted_through"] as? Int == 5, "\(stuck)")
        let inFlight = try #require(stuck["in_flight"] as? [String: Any])
        #expect(inFlight["first"] as? Int == 6 && inFlight["last"] as? Int == 8)

        let resumed = try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url, "--batch-size", "3"] + Self.fastRetries)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let state = receiver.state.withLock { $0 }
        #expect(state.received == Array(0..<size), "received \(state.received)")
        #expect(state.duplicates == 1)
        #expect(state.complaints.isEmpty, "\(state.complaints)")
    }

    @Test func aReceiverAnsweringGarbageGetsAClearErrorAndNothingIsMarkedSent() throws {
        let coop = try Self.coop(events: 2)
        let receiver = try FlakyReceiver(faultRate: 1, faults: [.garbage])
        defer { receiver.stop() }
        let size = try Self.logSize(coop)

        let result = try CLITests.yima(["upload", "--data", coop.data, "--to", receiver.url, "--max-attempts", "2", "--lang", "en"]
                                       + Self.fastRetries)
        #expect(result.status == 1)
        #expect(result.stderr.contains("failed 2 times: HTTP 200 with an answer that is not a JSON object: <html>"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing is marked sent"), "\(result.stderr)")
        let state = try Self.status(coop, receiver.url)
        #expect(state["accepted_through"] as? Int == -1 && state["pending_records"] as? Int == Int(size))
        #expect((state["last_error"] as? String)?.contains("not a JSON object") == true, "\(state)")

        let text = try CLITests.yima(["upload", "--data", coop.data, "--status", "--lang", "en"])
        #expect(text.output.contains("\(receiver.url): \(size) records pending (0 of \(size) accepted)"), "\(text.output)")
        #expect(text.output.contains("last error"), "\(text.output)")
    }

    @Test func serveReportsInTheBackgroundAndKeepsUp() throws {
        let coop = try Self.coop(events: 6)
        let receiver = try FlakyReceiver(faultRate: 0.3, faults: [.serverError, .dropBefore, .dropAfterKeeping, .garbage], seed: 5)
        defer { receiver.stop() }
        let server = try LocalServer(executable: CLITests.yima) { port in
            ["serve", "--data", coop.data, "--port", "\(port)", "--log-level", "warning",
             "--templates", Repository.root.appendingPathComponent("templates").path,
             "--upload-to", receiver.url, "--upload-batch-size", "3", "--upload-interval-seconds", "1"]
        }
        defer { server.stop() }
        func waitFor(_ count: Int64) {
            for _ in 0..<300 where receiver.state.withLock({ $0.received.count }) < count { usleep(100_000) }
        }
        let size = try Self.logSize(coop)
        waitFor(size)
        #expect(receiver.state.withLock { $0.received } == Array(0..<size))
        // A record added while it runs goes up within a round or two.
        try coop.write("late.csv", "type,gtin,lot,time,data.activity,data.note\ncare,\(RecordsCLITests.gtin),\(RecordsCLITests.lot),\(coop.time(daysAgo: 1)),weeding,人工除草\n")
        Coop.expectSuccess(try CLITests.yima(["event", "import", "--data", coop.data, "--key", coop.key, "--csv", coop.dir.file("late.csv")]))
        waitFor(size + 1)
        #expect(receiver.state.withLock { $0.received } == Array(0..<(size + 1)))
    }

    @Test func serveReportsEPCISInTheBackground() throws {
        let coop = try Self.coop(events: 2)
        let receiver = try FlakyReceiver(faultRate: 0)
        defer { receiver.stop() }
        let server = try LocalServer(executable: CLITests.yima) { port in
            ["serve", "--data", coop.data, "--port", "\(port)", "--log-level", "warning",
             "--templates", Repository.root.appendingPathComponent("templates").path,
             "--upload-to", receiver.url, "--upload-format", "epcis", "--upload-batch-size", "3", "--upload-interval-seconds", "1"]
        }
        defer { server.stop() }
        let size = try Self.logSize(coop)
        for _ in 0..<300 where receiver.state.withLock({ $0.received.count }) < size { usleep(100_000) }
        let state = receiver.state.withLock { $0 }
        #expect(state.received == Array(0..<size))
        let formats = try state.bodies.map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }.map { $0?["format"] as? String }
        #expect(!formats.isEmpty && formats.allSatisfy { $0 == "epcis" }, "\(formats)")
    }

    @Test func anUnknownFormatOrADeadReceiverIsAClearError() throws {
        let coop = try Self.coop(events: 1)
        let unknown = try CLITests.yima(["upload", "--data", coop.data, "--to", "http://127.0.0.1:9/", "--format", "xml", "--lang", "en"])
        #expect(unknown.status == 1 && unknown.stderr.contains("--format must be national or epcis"), "\(unknown.stderr)")
        // Nothing listens on port 9: a network failure, retried, then a clear error.
        let down = try CLITests.yima(["upload", "--data", coop.data, "--to", "http://127.0.0.1:9/", "--max-attempts", "2", "--lang", "en"]
                                     + Self.fastRetries)
        #expect(down.status == 1 && down.stderr.contains("failed 2 times"), "\(down.stderr)")
        #expect(try Self.status(coop, "http://127.0.0.1:9/")["accepted_through"] as? Int == -1)
    }
}
