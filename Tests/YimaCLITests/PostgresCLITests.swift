import Foundation
import Testing
import YimaTestSupport

/// `--database` and `YIMA_DATABASE` through the `yima` binary: a cooperative set up
/// on PostgreSQL with the data folder holding only keys and secrets, and an
/// unreachable database refused with one message that never shows the password.
@Suite struct PostgresCLITests {
    /// The throwaway cluster of `make test` (scripts/with-postgres.sh). Without it, CI
    /// fails here and a developer's `swift test` leaves these out, saying so.
    static let clusters: [String] = {
        let environment = ProcessInfo.processInfo.environment
        if let cluster = environment["YIMA_TEST_POSTGRES"] { return [cluster] }
        if environment["CI"] == "true" { return ["YIMA_TEST_POSTGRES is not set: run `make test`"] }
        FileHandle.standardError.write(Data("note: YIMA_TEST_POSTGRES is not set; the PostgreSQL CLI tests are left out\n".utf8))
        return []
    }()

    static func yima(_ arguments: [String], database: String? = nil) throws -> CommandResult {
        var environment = ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin"]
        environment["YIMA_DATABASE"] = database
        return try run(CLITests.yima, arguments, environment: environment)
    }

    static func newDatabase(_ cluster: String) throws -> String {
        guard cluster.hasPrefix("postgres") else { throw CLIError(message: cluster) }
        let name = "yima_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try run("psql", ["-X", "-q", "-d", cluster, "-c", "CREATE DATABASE \(name)"])
        #expect(created.status == 0, "\(created.stderr)")
        var components = URLComponents(string: cluster)!
        components.path = "/" + name
        return components.string!
    }

    struct CLIError: Error { let message: String }

    @Test(arguments: clusters) func aCooperativeOnPostgreSQL(_ cluster: String) throws {
        let url = try Self.newDatabase(cluster)
        let dir = try TemporaryDirectory()
        let data = dir.file("data"), key = dir.file("keys/coop.key")
        func expectSuccess(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        }
        func write(_ name: String, _ text: String) throws { try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8) }

        // YIMA_DATABASE for init, --database for the rest.
        expectSuccess(try Self.yima(["init", "--data", data, "--demo-authority"], database: url))
        expectSuccess(try Self.yima(["keys", "generate", "--out", dir.file("keys/coop")]))
        try write("keys/party.json", """
            {"id":"zhouzhi-kiwi-coop","name":"周至县猕猴桃专业合作社","roles":["cooperative","producer"],
             "credit_code":"93610124MA6TQ3KX0C","address":"陕西省西安市周至县楼观镇周一村","contact":"029-87000000",
             "public_keys":["coop.pub"]}
            """)
        expectSuccess(try Self.yima(["party", "add", "--data", data, "--database", url,
                                     "--authority-key", dir.file("data/authority/authority.key"), "--file", dir.file("keys/party.json")]))
        try write("product.json", """
            {"gtin":"\(RecordsCLITests.gtin)","name":"周至猕猴桃","variety":"徐香","category":"fruit","certificates":[]}
            """)
        expectSuccess(try Self.yima(["product", "add", "--data", data, "--database", url, "--key", key, "--file", dir.file("product.json")]))

        // The records are in PostgreSQL, and the folder has no SQLite store.
        let count = try run("psql", ["-X", "-A", "-t", "-d", url, "-c", "SELECT count(*) FROM records"])
        #expect(count.output == "2\n", "\(count.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("data/yima.sqlite")))
        // Without --database the folder's (missing) SQLite store is what is asked for.
        #expect(try Self.yima(["product", "add", "--data", data, "--key", key, "--file", dir.file("product.json")]).status != 0)
    }

    @Test func unreachableDatabaseIsOneMessageWithoutThePassword() throws {
        let dir = try TemporaryDirectory()
        let result = try Self.yima(["report", "--data", dir.path, "--database", "postgres://county:s3cret-pw@127.0.0.1:1/yima",
                                    "--from", "2026-01-01", "--until", "2026-12-31"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("postgres://county:***@127.0.0.1:1/yima"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret-pw") && !result.output.contains("s3cret-pw"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
