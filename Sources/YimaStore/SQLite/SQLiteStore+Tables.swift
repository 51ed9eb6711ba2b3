import Foundation
import GRDB

/// The embedded store's tables read whole, for `yima migrate` (issue 13 §6): one
/// read transaction, so one snapshot of every table even while a server writes.
extension SQLiteStore: TableExport {
    public func rowCount(_ table: StoreTable) throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
    }

    public func exportTables(pageSize: Int, _ body: (StoreTable, [[TableValue]]) throws -> Void) throws {
        try pool.read { db in
            for table in StoreTable.allCases {
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.key.joined(separator: ", "))
                    """)
                var page: [[TableValue]] = []
                page.reserveCapacity(pageSize)
                while let row = try rows.next() {
                    page.append(row.databaseValues.map(Self.tableValue))
                    if page.count == pageSize {
                        try body(table, page)
                        page.removeAll(keepingCapacity: true)
                    }
                }
                if !page.isEmpty { try body(table, page) }
            }
        }
    }

    private static func tableValue(_ value: DatabaseValue) -> TableValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .text("\(number)")
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        }
    }
}
