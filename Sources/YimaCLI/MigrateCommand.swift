import ArgumentParser
import Foundation
import YimaLedger
import YimaRecords
import YimaService

/// `yima migrate --data DIR --to postgres://…`: the folder's SQLite store copied into
/// an empty PostgreSQL database in one transaction, then checked there (StoreMigration).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Copy the data folder's SQLite store into an empty PostgreSQL database (迁移到 PostgreSQL).",
        discussion: """
            One transaction: a run that fails leaves the database empty and can be run again. The copy is then \
            checked: row counts per table, every batch's signatures and chain links, and the log's root.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The empty PostgreSQL database, postgres://USER@HOST:PORT/DB (password from the URL, PGPASSWORD or ~/.pgpass).")
    var to: String
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        try Console.service(language) {
            let folder = DataDirectory(path: data.directory.path)
            var reported: (table: String, rows: Int64) = ("", 0)
            let report = try StoreMigration.run(folder, to: to) { table, rows in
                // A line per table and per 100,000 rows, not per page.
                guard !json, table != reported.table || rows - reported.rows >= 100_000 else { return }
                reported = (table, rows)
                Console.error(CLIMessage.migrateProgress.text(in: language, ["table": table, "rows": rows]))
            }
            let root = report.root.bytes.map { String(format: "%02x", $0) }.joined()
            if json {
                Console.printJSON(.object([
                    "tables": .object(Dictionary(uniqueKeysWithValues: report.tables.map { ($0.name, JSONValue.integer($0.rows)) })),
                    "tree_size": .integer(report.treeSize), "root": .string(root),
                    "batches_verified": .integer(Int64(report.batchesVerified)), "records_verified": .integer(Int64(report.recordsVerified)),
                ]))
                return
            }
            for (table, rows) in report.tables { print("\(table)\t\(rows)") }
            print(CLIMessage.migrated.text(in: language, ["size": report.treeSize, "root": root, "batches": report.batchesVerified,
                                                          "records": report.recordsVerified]))
        }
    }
}
