import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API. For the one-row
/// writes of a scan flush, GRDB's argument arrays and per-statement bookkeeping cost
/// as much as SQLite's own work (`yima-bench scans`). Use only inside a transaction
/// GRDB opened (it commits or rolls back), for statements that return no rows, on
/// tables no GRDB `TransactionObserver` watches (it is not told of these statements).
struct DirectStatement {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        self.db = db
    }

    /// Binds the parameters in order, runs the statement, and returns how many rows
    /// it changed (0 for an insert that hit `ON CONFLICT DO NOTHING`).
    @discardableResult
    func run(_ values: DirectValue...) throws -> Int {
        let handle = statement.sqliteStatement
        for (index, value) in zip(Int32(1)..., values) {
            // SQLITE_TRANSIENT: SQLite copies, so no pointer outlives this call.
            switch value {
            case .text(let text):
                sqlite3_bind_text(handle, index, text, Int32(text.utf8.count), SQLITE_TRANSIENT)
            case .blob(let bytes):
                bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            case .integer(let number):
                sqlite3_bind_int64(handle, index, number)
            }
        }
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
        return Int(sqlite3_changes(db.sqliteConnection))
    }
}

enum DirectValue {
    case text(String)
    case blob([UInt8])
    case integer(Int64)
}

/// SQLite's `SQLITE_TRANSIENT` (a macro C cannot export to Swift).
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
