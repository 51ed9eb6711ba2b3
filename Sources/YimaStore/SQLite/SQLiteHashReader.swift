import Foundation
import GRDB
import YimaLedger

/// Reads the log's stored hashes (docs/checkpoint.md §Stored hashes) from the
/// `ledger_hashes` table, in one query per call, on the connection it is given —
/// inside a write transaction it sees that transaction's own appends.
struct SQLiteHashReader: HashReader {
    let db: Database

    func readHashes(_ indexes: [Int64]) throws -> [TreeHash] {
        guard !indexes.isEmpty else { return [] }
        // An append reads one or two left siblings: point reads on a cached statement
        // beat preparing an IN query each time.
        if indexes.count <= 4 {
            let select = try db.cachedStatement(sql: "SELECT hash FROM ledger_hashes WHERE idx = ?")
            return try indexes.map { index in
                guard let bytes = try Data.fetchOne(select, arguments: [index]), let hash = TreeHash(bytes: Array(bytes)) else {
                    throw HashReaderError.missingHash(index: index)
                }
                return hash
            }
        }
        let placeholders = Array(repeating: "?", count: indexes.count).joined(separator: ",")
        // Cached per placeholder count: a proof on a large log asks for ~20–50 hashes,
        // and preparing the query each time was a good part of a proof's cost.
        let select = try db.cachedStatement(sql: "SELECT idx, hash FROM ledger_hashes WHERE idx IN (\(placeholders))")
        let rows = try Row.fetchAll(select, arguments: StatementArguments(indexes))
        var found: [Int64: TreeHash] = [:]
        for row in rows {
            let bytes: Data = row["hash"]
            found[row["idx"]] = TreeHash(bytes: Array(bytes))
        }
        return try indexes.map { index in
            guard let hash = found[index] else { throw HashReaderError.missingHash(index: index) }
            return hash
        }
    }
}
