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
