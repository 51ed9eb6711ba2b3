import YimaLedger
import YimaRecords
import YimaStore
import YimaText

/// `yima migrate`: a county's SQLite store copied into an empty PostgreSQL database
/// (issue 13 §6), then checked there before anyone uses it: the same row count in
/// every table, every batch's history re-verified from the copy (each record's
/// signature against its signer's registered key, each key's status, each `prev`
/// link), and the log's root equal to the SQLite log's root at the same size.
///
/// The copy is ONE PostgreSQL transaction: a run that fails part-way (a lost
/// connection, a refused row) leaves the database empty and can simply be run
/// again. A copy that commits but fails a check afterwards is reported as such; the
/// database must then be dropped and made again before another run, since
/// `migrate` copies only into an empty database.
public enum StoreMigration {
    public struct Report: Sendable {
        /// Every table by name with its row count, the same in both stores.
        public let tables: [(name: String, rows: Int64)]
        public let treeSize: Int64
        /// The log's root at `treeSize`, the same in both stores.
        public let root: TreeHash
        public let batchesVerified: Int
        public let recordsVerified: Int
    }

    public static func run(_ directory: DataDirectory, to url: String,
                           progress: (_ table: String, _ rows: Int64) -> Void = { _, _ in }) throws(ServiceError) -> Report {
        let source = try directory.open()
        let target = try directory.migrationTarget(url)
        for table in StoreTable.allCases {
            let rows = try reading { try target.rowCount(table) }
            guard rows == 0 else { throw .invalidArgument(.migrateTargetNotEmpty, ["table": table.name, "rows": rows]) }
        }
        do { try target.importTables(from: source) { progress($0.name, $1) } } catch { throw .wrap(error) }

        var tables: [(name: String, rows: Int64)] = []
        for table in StoreTable.allCases {
            let (copied, stored) = try reading { (try source.rowCount(table), try target.rowCount(table)) }
            guard copied == stored else {
                throw .invalidArgument(.migrateCountsDiffer, ["table": table.name, "source": copied, "target": stored])
            }
            tables.append((table.name, stored))
        }

        let size = try reading { try source.treeSize() }
        let (root, copiedRoot) = try reading { (try source.treeHash(size: size), try target.treeHash(size: size)) }
        guard root == copiedRoot else { throw .invalidArgument(.migrateRootsDiffer, ["size": size]) }

        // Every chain, read back from the copy and verified as `yima chain --verify` would.
        let copy = UseCases(store: target, authorities: try directory.authorities())
        var batches = 0, records = 0
        for stored in try reading({ try target.records(kind: .batch) }) {
            guard let key = stored.batchKey, let reference = try? BatchReference(key: key),
                  let history = try copy.resolver.history(of: reference) else {
                throw .invalidArgument(.migrateChainBroken, ["batch": stored.batchKey ?? "?", "reason": "not found in the copy"])
            }
            if let failure = copy.resolver.verifyBatch(history).first {
                throw .invalidArgument { ServiceMessage.migrateChainBroken.text(in: $0, ["batch": key, "reason": failure.message(in: $0)]) }
            }
            batches += 1
            records += 2 + history.events.count
        }
        return Report(tables: tables, treeSize: size, root: root, batchesVerified: batches, recordsVerified: records)
    }

    private static func reading<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        do { return try body() } catch { throw .wrap(error) }
    }
}
