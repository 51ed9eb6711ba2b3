import Foundation
import Testing
import YimaTestSupport

/// Faults on PostgreSQL through the `yima` binary (issue 13 §Faults): a database
/// that is unreachable at start, one that goes away under a running `yima serve`
/// and comes back, and a wrong password, a missing database or a database of a
/// newer Yima, each named. No password ever shows in an output or a log.
@Suite struct PostgresFaultTests {
    typealias Coop = RecordsCLITests.Coop

    /// An HTTP answer, by curl.
    struct Answer {
        let status: Int
        let body: String
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    }

    static func request(_ url: String, accept: String = "application/json", post body: String? = nil) throws -> Answer {
        var arguments = ["-s", "-m", "30", "-H", "Accept: \(accept)", "-w", "\n%{http_code}"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
        let output = try run("curl", arguments + [url]).output
        let split = output.range(of: "\n", options: .backwards)
        return Answer(status: Int(output[(split?.upperBound ?? output.startIndex)...]) ?? 0,
                      body: String(output[..<(split?.lowerBound ?? output.startIndex)]))
    }

    /// A JSON error body of `status` (docs/api.md §Errors).
    static func expectError(_ answer: Answer, _ status: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(what): \(answer.status) \(answer.body)", sourceLocation: sourceLocation)
        #expect(answer.json?["error"] is String, "\(what): \(answer.body)", sourceLocation: sourceLocation)
    }

    /// The database stopped under a running server and started again: lookups,
    /// writes and /healthz answer 503 with a JSON body meanwhile, the server stays
    /// up, and everything works again once the database is back, by itself.
    @Test(arguments: PostgresCLITests.clusters) func serverRidesOutADatabaseRestart(_ shared: String) throws {
        guard shared.hasPrefix("postgres") else { throw PostgresCLITests.CLIError(message: shared) }
        let cluster = try PrivateCluster()
        let password = "pw-" + UUID().uuidString
        let database = try cluster.newDatabase(user: "county_server", password: password)
        // The CLI reads the password from the URL, the server from PGPASSWORD.
        var components = URLComponents(string: database)!
        components.password = password
        let coop = try Coop(postgres: components.string!)
        let codes = try coop.issue(2, out: "labels")
        let envelope = try cluster.psql("SELECT convert_from(envelope, 'UTF8') FROM records WHERE kind = 'product'",
                                        database: PrivateCluster.url(cluster.url, database: components.path.dropFirst().description))
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let log = coop.dir.file("server.log")
        let server = try LocalServer(executable: CLITests.yima, arguments: { port in
            ["serve", "--data", coop.data, "--database", database, "--port", "\(port)", "--log-level", "debug",
             "--scan-flush-ms", "50", "--templates", Repository.root.appendingPathComponent("templates").path]
        }, environment: ["PGPASSWORD": password, "YIMA_LANG": "en", "PATH": "/usr/bin:/bin"], log: log)
        defer { server.stop() }
        let lookup = server.base + codes[0][codes[0].range(of: "/01/")!.lowerBound...]
        let records = server.base + "/api/v1/records"

        #expect(try Self.request(server.base + "/healthz").status == 200)
        #expect(try Self.request(lookup).status == 200)
        Self.expectError(try Self.request(records, post: envelope), 409, "a replay while the database is up")

        try cluster.stop()
        // Past the health check's and the batch cache's second of grace.
        Thread.sleep(forTimeInterval: 1.5)
        Self.expectError(try Self.request(server.base + "/healthz"), 503, "/healthz")
        Self.expectError(try Self.request(lookup), 503, "a lookup")
        // A phone's browser gets the same refusal as a page.
        #expect(try Self.request(lookup, accept: "text/html").status == 503)
        Self.expectError(try Self.request(records, post: envelope), 503, "a write")
        Self.expectError(try Self.request(server.base + "/checkpoint", accept: "text/plain"), 503, "the checkpoint")
        #expect(server.process.isRunning)

        try cluster.start()
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = try Self.request(server.base + "/healthz").status == 200
            if !healthy { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(healthy, "/healthz did not recover")
        #expect(try Self.request(lookup).status == 200)
        #expect(try Self.request(server.base + "/checkpoint", accept: "text/plain").status == 200)
        Self.expectError(try Self.request(records, post: envelope), 409, "a replay once the database is back")
        // The CLI writes again too, and the server sees it.
        try coop.write("more.json", """
            {"type":"care","batch":{"gtin":"\(RecordsCLITests.gtin)","lot":"\(RecordsCLITests.lot)"},
             "time":"\(LedgerCLITests.now())","data":{"activity":"irrigation"}}
            """)
        Coop.expectSuccess(try coop.yima(["event", "record", "--data", coop.data, "--key", coop.key, "--file", coop.dir.file("more.json")]))
        // The lookups counted before the stop and after the restart are all stored (the flush retried).
        server.stop()
        let scans = try cluster.psql("SELECT COALESCE(SUM(count), 0) FROM scans",
                                     database: PrivateCluster.url(cluster.url, database: components.path.dropFirst().description))
        #expect(scans == "2\n", "\(scans)")
        #expect(server.process.terminationReason == .exit)

        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!logged.contains(password), "the server's log shows the password")
        #expect(logged.contains("county_server"), "the server's log names the database it lost: \(logged.suffix(2000))")
    }

    /// `yima init` and `yima serve` against a database that does not answer: one line
    /// naming it (without its password), a non-zero exit, and no data folder made.
    @Test func unreachableDatabaseAtStart() throws {
        let dir = try TemporaryDirectory()
        let url = "postgres://county:s3cret-pw@127.0.0.1:1/yima"
        for arguments in [["init", "--data", dir.file("data"), "--demo-authority", "--database", url],
                          ["serve", "--data", dir.file("data"), "--port", "1", "--database", url]] {
            let result = try CLITests.yima(arguments)
            #expect(result.status != 0, "\(arguments[0])")
            #expect(result.stderr.contains("postgres://county:***@127.0.0.1:1/yima"), "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments[0]): \(result.stderr)")
            #expect(!result.stderr.contains("s3cret-pw") && !result.output.contains("s3cret-pw"))
            #expect(!FileManager.default.fileExists(atPath: dir.file("data")), "\(arguments[0]) left a data folder")
        }
    }

    /// A wrong password (from the URL, PGPASSWORD or a password file), a database that
    /// does not exist and one a newer Yima made: each refused with a message saying
    /// which, and the password in none of them. The right password from each source works.
    @Test(arguments: PostgresCLITests.clusters) func wrongPasswordMissingDatabaseAndNewerSchemaAreNamed(_ cluster: String) throws {
        guard cluster.hasPrefix("postgres") else { throw PostgresCLITests.CLIError(message: cluster) }
        let dir = try TemporaryDirectory()
        let user = "county_" + UUID().uuidString.prefix(8).lowercased()
        let password = "right-" + UUID().uuidString, wrong = "wrong-" + UUID().uuidString
        let name = "yima_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster, "-c",
                                       "CREATE ROLE \(user) LOGIN PASSWORD '\(password)' IN ROLE yima_password",
                                       "-c", "CREATE DATABASE \(name) OWNER \(user)"])
        try #require(created.status == 0, "\(created.stderr)")
        let bare = PrivateCluster.url(cluster, database: name, user: user)
        func yima(_ url: String, _ environment: [String: String] = [:]) throws -> CommandResult {
            try run(CLITests.yima, ["init", "--data", dir.file("data-\(UUID().uuidString)"), "--database", url],
                    environment: ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": dir.path].merging(environment) { $1 })
        }
        func withPassword(_ secret: String) -> String {
            var components = URLComponents(string: bare)!
            components.password = secret
            return components.string!
        }
        try "*:*:\(name):\(user):\(wrong)\n".write(toFile: dir.file("wrong.pgpass"), atomically: true, encoding: .utf8)
        try "*:*:\(name):\(user):\(password)\n".write(toFile: dir.file("right.pgpass"), atomically: true, encoding: .utf8)

        for (source, result) in [("URL", try yima(withPassword(wrong))), ("PGPASSWORD", try yima(bare, ["PGPASSWORD": wrong])),
                                 ("PGPASSFILE", try yima(bare, ["PGPASSFILE": dir.file("wrong.pgpass")]))] {
            #expect(result.status != 0, "\(source)")
            #expect(result.stderr.contains("password authentication failed for user \"\(user)\""), "\(source): \(result.stderr)")
            #expect(!(result.stderr + result.output).contains(wrong), "\(source) shows the password")
        }
        let none = try yima(bare)
        #expect(none.status != 0 && none.stderr.contains("asks for a password and none was given"), "\(none.stderr)")

        for (source, result) in [("URL", try yima(withPassword(password))), ("PGPASSWORD", try yima(bare, ["PGPASSWORD": password])),
                                 ("PGPASSFILE", try yima(bare, ["PGPASSFILE": dir.file("right.pgpass")]))] {
            #expect(result.status == 0, "\(source): \(result.stderr)")
            #expect(!(result.stderr + result.output).contains(password), "\(source) shows the password")
        }

        let missing = try yima(PrivateCluster.url(cluster, database: name + "_missing"))
        #expect(missing.status != 0 && missing.stderr.contains("database \"\(name)_missing\" does not exist"), "\(missing.stderr)")

        let bumped = try run("psql", ["-X", "-q", "-d", PrivateCluster.url(cluster, database: name), "-c",
                                      "INSERT INTO yima_migrations (version, name) VALUES (99, 'from the future')"])
        try #require(bumped.status == 0, "\(bumped.stderr)")
        let newer = try yima(withPassword(password))
        #expect(newer.status != 0 && newer.stderr.contains("schema version 99"), "\(newer.stderr)")
        #expect(!newer.stderr.contains(password))
    }
}
