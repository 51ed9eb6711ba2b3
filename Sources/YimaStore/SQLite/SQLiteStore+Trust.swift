import GRDB

/// Reads for key status, notices and aggregation (docs/trust-list.md).
extension SQLiteStore {
    public func registryVersion() throws(StoreError) -> Int64 {
        try read { db in
            try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT MAX(COALESCE((SELECT MAX(seq) FROM records WHERE kind = 'party'), -1),
                           COALESCE((SELECT MAX(seq) FROM records WHERE kind = 'key'), -1))
                """)) ?? -1
        }
    }

    public func notices(type: String) throws(StoreError) -> [StoredRecord] {
        try read { db in
            try StoredRecord.fetchAll(db, sql: """
                SELECT records.* FROM notices JOIN records ON records.seq = notices.record_seq
                WHERE notices.type = ? ORDER BY notices.record_seq
                """, arguments: [type])
        }
    }

    public func contents(of parent: String) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT child FROM packing WHERE parent = ? ORDER BY child", arguments: [parent])
        }
    }
}

extension SQLiteStore {
    public func batches(owner: String) throws(StoreError) -> [BatchState] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT key FROM batches WHERE owner = ? ORDER BY key", arguments: [owner])
                .compactMap { try Self.batch(key: $0, in: db) }
        }
    }
}

extension SQLiteStore {
    public func activity(from: Int64, until: Int64, copyWarningClients: Int) throws(StoreError) -> [BatchActivity] {
        try read { db in
            var batches: [String: BatchActivity] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, gtin, owner FROM batches") {
                let key: String = row["key"]
                batches[key] = BatchActivity(batchKey: key, gtin: row["gtin"], owner: row["owner"])
            }
            func add(_ sql: String, _ arguments: StatementArguments, _ apply: (inout BatchActivity, Row) -> Void) throws {
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    let key: String = row["batch_key"]
                    if batches[key] != nil { apply(&batches[key]!, row) }
                }
            }
            try add("""
                SELECT gtin || '/' || lot AS batch_key, count(*) AS n FROM units WHERE issued_at BETWEEN ? AND ? GROUP BY gtin, lot
                """, [from, until]) { $0.counts.codesIssued = $1["n"] }
            try add("""
                SELECT gtin || '/' || lot AS batch_key, sum(count) AS n, sum(clients > ?) AS warned FROM scans
                WHERE last_at BETWEEN ? AND ? GROUP BY gtin, lot
                """, [copyWarningClients, from, until]) { $0.counts.scans = $1["n"]; $0.counts.copyWarnings = $1["warned"] }
            try add("""
                SELECT gtin || '/' || lot AS batch_key, count(*) AS n FROM unit_pins
                WHERE first_verified_at BETWEEN ? AND ? GROUP BY gtin, lot
                """, [from, until]) { $0.counts.pinVerifications = $1["n"] }
            try add("""
                SELECT notices.batch_key AS batch_key, notices.type AS type, count(*) AS n FROM notices
                JOIN records ON records.seq = notices.record_seq WHERE records.recorded_at BETWEEN ? AND ?
                GROUP BY notices.batch_key, notices.type
                """, [from, until]) { activity, row in
                let type: String = row["type"]
                switch type {
                case "recall": activity.counts.recalls = row["n"]
                case "certificate": activity.counts.certificates = row["n"]
                case "certificate_receipt": activity.counts.certificateReceipts = row["n"]
                default: break
                }
            }
            return batches.values.sorted { $0.batchKey < $1.batchKey }
        }
    }

    public func dailyScans(from: Int64, until: Int64, utcOffsetSeconds: Int) throws(StoreError) -> [DailyScans] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT date(first_at + ?, 'unixepoch') AS day, sum(count) AS n FROM scan_clients
                WHERE first_at BETWEEN ? AND ? GROUP BY day ORDER BY day
                """, arguments: [utcOffsetSeconds, from, until]).map { DailyScans(day: $0["day"], scans: $0["n"]) }
        }
    }
}
