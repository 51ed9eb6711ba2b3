import PostgresNIO
import YimaStore

/// Taking a SQLite store's tables whole (`yima migrate`, issue 13 §6): every row in
/// ONE transaction, so a run that fails (a lost connection, a refused row, a
/// mismatch) leaves the database as empty as it found it and can simply be run
/// again. Rows go in as multi-row INSERTs; the append-only triggers refuse only
/// UPDATE, DELETE and TRUNCATE.
extension PostgresStore: TableImport {
    public func rowCount(_ table: StoreTable) throws(StoreError) -> Int64 {
        try read { session in try Self.rowCount(table, in: session) }
    }

    static func rowCount(_ table: StoreTable, in session: Session) throws -> Int64 {
        try session.rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)")).first?.decode(Int64.self) ?? 0
    }

    public func importTables(from source: any TableExport, progress: (StoreTable, Int64) -> Void) throws {
        try appendTransaction { session in
            for table in StoreTable.allCases {
                guard try Self.rowCount(table, in: session) == 0 else {
                    throw StoreError.database("\(url) already holds rows in \(table.name): yima migrate copies only into an empty database")
                }
            }
            var copied: [StoreTable: Int64] = [:]
            try source.exportTables(pageSize: 2_000) { table, rows in
                // PostgreSQL takes at most 65,535 parameters a statement.
                let perStatement = 60_000 / table.columns.count
                var start = 0
                while start < rows.count {
                    try Self.insert(rows[start..<min(start + perStatement, rows.count)], into: table, in: session)
                    start += perStatement
                }
                copied[table, default: 0] += Int64(rows.count)
                progress(table, copied[table]!)
            }
            for table in StoreTable.allCases {
                let stored = try Self.rowCount(table, in: session)
                guard stored == copied[table, default: 0] else {
                    throw StoreError.database("\(table.name): \(copied[table, default: 0]) rows read, \(stored) stored")
                }
            }
        }
    }

    private static func insert(_ rows: ArraySlice<[TableValue]>, into table: StoreTable, in session: Session) throws {
        var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        var parameter = 0
        for row in rows {
            let placeholders = row.map { value -> String in
                switch value {
                case .integer(let number): bindings.append(number)
                case .text(let text): bindings.append(text)
                case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
                case .null: bindings.appendNull()
                }
                parameter += 1
                return "$\(parameter)"
            }
            tuples.append("(" + placeholders.joined(separator: ",") + ")")
        }
        let sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ",")
        try session.execute(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }
}
