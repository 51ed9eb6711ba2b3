import Foundation
import Testing
import YimaTestSupport

/// `yima migrate`: a county's SQLite store copied into an empty PostgreSQL database,
/// checked against sqlite3 and psql directly; a failed run leaves the database empty
/// and the same command then succeeds; a non-empty database is refused.
@Suite struct MigrateCLITests {
    static let tables = ["records", "parties", "party_keys", "products", "batches", "units", "packing", "ledger_hashes",
                         "scans", "scan_clients", "unit_pins", "notices"]

    static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try run("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        #expect(result.status == 0, "\(sql): \(result.stderr)")
        return result.output.trimmingCharacters(in: .newlines)
    }

    static func counts(_ query: (String) throws -> String) throws -> [String: String] {
        try Dictionary(uniqueKeysWithValues: tables.map { ($0, try query("SELECT count(*) FROM \($0)")) })
    }

    @Test(arguments: PostgresCLITests.clusters) func aCountyMovesToPostgreSQL(_ cluster: String) throws {
        let url = try PostgresCLITests.newDatabase(cluster)
        let coop = try RecordsCLITests.Coop()
        let codes = try coop.issue(3, out: "labels")
        // A row PostgreSQL refuses (SQLite keeps text in an integer column) fails the copy
        // part-way, after the records and units.
        _ = try coop.sql("""
            INSERT INTO scans VALUES ('\(RecordsCLITests.gtin)', '\(RecordsCLITests.lot)', 'S1', 'many', 1, 1790000000, 1790000000)
            """)
        let failed = try CLITests.yima(["migrate", "--data", coop.data, "--to", url])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("database error: column \"count\" is of type bigint"), "\(failed.stderr)")
        for (table, rows) in try Self.counts({ try Self.psql(url, $0) }) { #expect(rows == "0", "\(table) after a failed run") }

        // The same command again, once the bad row is gone.
        _ = try coop.sql("DELETE FROM scans")
        _ = try coop.sql("""
            INSERT INTO scans VALUES ('\(RecordsCLITests.gtin)', '\(RecordsCLITests.lot)', 'S1', 3, 2, 1790000000, 1790000100)
            """)
        let migrated = try CLITests.yima(["migrate", "--data", coop.data, "--to", url, "--json"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: migrated.stdout) as? [String: Any])

        // Every table: the same count in sqlite3, in psql and in the report.
        let sqlite = try Self.counts { try coop.sql($0) }
        let postgres = try Self.counts { try Self.psql(url, $0) }
        #expect(sqlite == postgres)
        let reported = try #require(report["tables"] as? [String: Int])
        #expect(reported.mapValues { String($0) } == sqlite)
        #expect(sqlite["units"] == "3" && sqlite["records"] == "5" && sqlite["scans"] == "1", "\(sqlite)")
        // Byte for byte: every envelope and every stored log hash.
        #expect(try coop.sql("SELECT group_concat(lower(hex(envelope)), ',') FROM (SELECT envelope FROM records ORDER BY seq)")
                == (try Self.psql(url, "SELECT string_agg(encode(envelope, 'hex'), ',' ORDER BY seq) FROM records")))
        #expect(try coop.sql("SELECT group_concat(lower(hex(hash)), ',') FROM (SELECT hash FROM ledger_hashes ORDER BY idx)")
                == (try Self.psql(url, "SELECT string_agg(encode(hash, 'hex'), ',' ORDER BY idx) FROM ledger_hashes")))
        #expect(report["tree_size"] as? Int == 5)
        #expect(report["batches_verified"] as? Int == 1)

        // The copy serves: a code's chain verifies from PostgreSQL, and both stores sign the same checkpoint.
        let chain = try coop.yimaOn(url, ["chain", "--data", coop.data, "--verify", codes[0]])
        #expect(chain.status == 0, "\(chain.stderr)")
        let sqliteCheckpoint = try CLITests.yima(["log", "checkpoint", "--data", coop.data])
        let postgresCheckpoint = try coop.yimaOn(url, ["log", "checkpoint", "--data", coop.data])
        #expect(sqliteCheckpoint.status == 0 && sqliteCheckpoint.output == postgresCheckpoint.output, "\(postgresCheckpoint.stderr)")

        // Again into the same database: refused, and nothing changes.
        let again = try CLITests.yima(["migrate", "--data", coop.data, "--to", url])
        #expect(again.status != 0 && again.stderr.contains("not empty"), "\(again.stderr)")
        #expect(try Self.counts { try Self.psql(url, $0) } == postgres)
    }
}

extension RecordsCLITests.Coop {
    /// `yima` on the PostgreSQL store at `url` rather than the cooperative's own.
    func yimaOn(_ url: String, _ arguments: [String]) throws -> CommandResult {
        try run(CLITests.yima, arguments, environment: ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin", "YIMA_DATABASE": url])
    }
}
