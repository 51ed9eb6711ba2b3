import Foundation
import Testing
import YimaCodes
import YimaRecords
import YimaService
import YimaTestSupport

/// Two `yima serve` processes on one PostgreSQL database (issue 13 §4), taking
/// writes and lookups at once: log leaves consecutive with no gap or duplicate, one
/// head per batch chain (of events racing on one head, one is stored and the others
/// get 409 with nothing of them stored), the same checkpoint from both servers at a
/// size, each extending the last (`yima audit` alternating between them), and every
/// scan counted once when both flush.
@Suite struct TwoServersTests {
    static let yima = Repository.builtProduct("yima")

    /// `curl` POST or GET; the status and body.
    static func request(_ url: String, post body: String? = nil) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-m", "60", "-w", "\n%{http_code}"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
        let output = try run("curl", arguments + [url]).output
        let split = output.range(of: "\n", options: .backwards)!
        return (Int(output[split.upperBound...]) ?? 0, String(output[..<split.lowerBound]))
    }

    static func errorCode(_ body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["error"] as? String
    }

    @Test(arguments: Engine.postgresOnly) func concurrentWritersAndLookupsOnTwoServers(_ engine: Engine) throws {
        let fixture = try ServerFixture(engine)
        let database = try #require(fixture.directory.database)
        let servers = try (0..<2).map { _ in
            try LocalServer(executable: Self.yima) { port in
                ["serve", "--data", fixture.directory.path, "--database", database, "--port", "\(port)", "--log-level", "warning",
                 "--scan-flush-ms", "20", "--templates", Repository.root.appendingPathComponent("templates").path]
            }
        }
        defer { servers.forEach { $0.stop() } }
        let recordsBefore = try fixture.store.recordCount()

        // Independent writes (new lots), spread over both servers, while events race on
        // the fixture's batch and consumers scan its codes through both.
        let lots = try (0..<12).map { index in
            try fixture.service.recording.sign(draft: ServerFixture.json("""
                {"gtin":"\(ServerFixture.gtin)","lot":"2026-TWO-\(index)","season":"2026","quantity":{"unit":"KGM","value":"10"},
                 "origin":{"division":"610124103201","place":"楼观镇","lat":"34.0812","lon":"108.3305"}}
                """), kind: .batch, key: fixture.producer)
        }
        let lotResults = Locked<[Int]>([])
        var winners: [Envelope] = []
        var losers: [Envelope] = []
        let scans = Locked(0)
        let lookupTargets = fixture.codes.map { ServerFixture.target($0) + "&format=json" }
        let writers = DispatchGroup()
        DispatchQueue.global().async(group: writers) {
            DispatchQueue.concurrentPerform(iterations: lots.count) { index in
                let answer = try? Self.request(servers[index % 2].base + "/api/v1/records", post: lots[index].text)
                lotResults.mutate { $0.append(answer?.status ?? 0) }
            }
        }
        DispatchQueue.global().async(group: writers) {
            DispatchQueue.concurrentPerform(iterations: 40) { index in
                if (try? Self.request(servers[index % 2].base + lookupTargets[index % lookupTargets.count]))?.status == 200 {
                    scans.mutate { $0 += 1 }
                }
            }
        }
        for round in 0..<5 {
            // Four events signed on the same head, posted at once, two to each server.
            let racers = try (0..<4).map { racer in
                try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"weeding","note":"round \#(round) racer \#(racer)"}"#)
            }
            let answers = Locked<[(Int, Envelope, String?)]>([])
            DispatchQueue.concurrentPerform(iterations: racers.count) { racer in
                let answer = try? Self.request(servers[racer % 2].base + "/api/v1/records", post: racers[racer].text)
                answers.mutate { $0.append((answer?.status ?? 0, racers[racer], answer.flatMap { Self.errorCode($0.body) })) }
            }
            let stored = answers.value.filter { $0.0 == 201 }
            #expect(stored.count == 1, "round \(round): \(answers.value.map { "\($0.0) \($0.2 ?? "")" })")
            for (status, envelope, error) in answers.value where status != 201 {
                #expect(status == 409 && error == "stale-head", "round \(round): \(status) \(error ?? "")")
                losers.append(envelope)
            }
            winners += stored.map(\.1)
        }
        writers.wait()
        #expect(lotResults.value.sorted() == Array(repeating: 201, count: lots.count), "\(lotResults.value)")
        #expect(scans.value == 40)

        // The log: every record once, at consecutive positions from 0.
        let total = recordsBefore + Int64(lots.count + winners.count)
        #expect(try fixture.store.recordCount() == total)
        let positions = try run("psql", ["-X", "-A", "-t", "-d", database, "-c",
                                          "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM records"]).output
        #expect(positions == "\(total)|\(total)|0|\(total - 1)\n", "\(positions)")
        // The chain: the winners in order, the losers nowhere.
        let batch = try #require(try fixture.store.batch(key: "\(ServerFixture.gtin)/\(ServerFixture.lot)"))
        #expect(batch.headID == winners.last.map { Array($0.recordID.bytes) })
        let chain = try fixture.store.records(batchKey: "\(ServerFixture.gtin)/\(ServerFixture.lot)").map(\.id)
        #expect(Array(chain.suffix(winners.count)) == winners.map { Array($0.recordID.bytes) })
        for loser in losers { #expect(try fixture.store.record(id: Array(loser.recordID.bytes)) == nil) }

        // One checkpoint per size: both servers sign the same note for the same tree,
        // and an auditor going from one to the other sees each extend the last.
        let notes = try servers.map { try Self.request($0.base + "/checkpoint") }
        #expect(notes[0].status == 200 && notes[0].body == notes[1].body, "\(notes)")
        #expect(notes[0].body.split(separator: "\n").dropFirst().first == "\(total)"[...])
        let trust = try TemporaryDirectory()
        let verifier = try run(Self.yima, ["log", "verifier", "--data", fixture.directory.path, "--database", database])
        try #require(verifier.status == 0, "\(verifier.stderr)")
        try verifier.output.write(toFile: trust.file("log.vkey"), atomically: true, encoding: .utf8)
        for (index, server) in [servers[0], servers[1], servers[0]].enumerated() {
            if index == 2 {
                // One more record through the second server: the first one's next checkpoint covers it.
                let more = try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"irrigation"}"#)
                #expect(try Self.request(servers[1].base + "/api/v1/records", post: more.text).status == 201)
            }
            let audit = try run(Self.yima, ["audit", "--server", server.base, "--state", trust.file("audit.json"),
                                             "--key", trust.file("log.vkey")], environment: ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin"])
            #expect(audit.status == 0, "audit \(index): \(audit.output) \(audit.stderr)")
        }

        // Both servers flush on SIGTERM: every scan is counted once.
        servers.forEach { $0.stop() }
        let counted = try run("psql", ["-X", "-A", "-t", "-d", database, "-c", "SELECT COALESCE(SUM(count), 0) FROM scans"]).output
        #expect(counted == "40\n", "\(counted)")
    }
}
