import GRDB

/// Upward reporting's positions (docs/upload.md) and external trace codes.
extension SQLiteStore: UploadStore, AliasStore {
    public func uploadPosition(receiver: String) throws(StoreError) -> UploadPosition {
        try read { db in try Self.position(receiver, in: db) }
    }

    public func uploadPositions() throws(StoreError) -> [UploadPosition] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM upload_positions ORDER BY receiver").map(Self.position(row:)) }
    }

    public func beginUpload(receiver: String, batch: PendingUpload) throws(StoreError) {
        try writeUpload { db in
            let position = try Self.position(receiver, in: db)
            if let pending = position.pending {
                guard pending == batch else { throw StoreError.uploadConflict("batch \(pending.key) is pending") }
                return
            }
            guard batch.first == position.acceptedThrough + 1, batch.last >= batch.first else {
                throw StoreError.uploadConflict("next position is \(position.acceptedThrough + 1), not \(batch.first)")
            }
            try db.execute(sql: """
                INSERT INTO upload_positions (receiver, pending_first, pending_last, pending_key, pending_format) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (receiver) DO UPDATE SET pending_first = excluded.pending_first, pending_last = excluded.pending_last,
                    pending_key = excluded.pending_key, pending_format = excluded.pending_format
                """, arguments: [receiver, batch.first, batch.last, batch.key, batch.format])
        }
    }

    public func acceptUpload(receiver: String, key: String, at time: Int64) throws(StoreError) {
        try writeUpload { db in
            try db.execute(sql: """
                UPDATE upload_positions SET accepted_through = pending_last, pending_first = NULL, pending_last = NULL,
                    pending_key = NULL, pending_format = NULL, last_error = NULL, last_error_at = NULL, last_accepted_at = ?
                WHERE receiver = ? AND pending_key = ?
                """, arguments: [time, receiver, key])
            guard db.changesCount == 1 else { throw StoreError.uploadConflict("batch \(key) is not pending") }
        }
    }

    public func noteUploadFailure(receiver: String, message: String, at time: Int64) throws(StoreError) {
        try writeUpload { db in
            try db.execute(sql: """
                INSERT INTO upload_positions (receiver, last_error, last_error_at) VALUES (?, ?, ?)
                ON CONFLICT (receiver) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at
                """, arguments: [receiver, message, time])
        }
    }

    public func alias(code: String) throws(StoreError) -> AliasTarget? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM trace_aliases WHERE code = ?", arguments: [code]).map(Self.alias(row:))
        }
    }

    public func aliases(batchKey: String) throws(StoreError) -> [AliasTarget] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trace_aliases WHERE batch_key = ? ORDER BY record_seq", arguments: [batchKey])
                .map(Self.alias(row:))
        }
    }

    // MARK: Rows

    private func writeUpload(_ body: (Database) throws -> Void) throws(StoreError) {
        do {
            try write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(Self.message(error))
        }
    }

    private static func position(_ receiver: String, in db: Database) throws -> UploadPosition {
        try Row.fetchOne(db, sql: "SELECT * FROM upload_positions WHERE receiver = ?", arguments: [receiver]).map(position(row:))
            ?? UploadPosition(receiver: receiver)
    }

    private static func position(row: Row) -> UploadPosition {
        var pending: PendingUpload?
        if let key: String = row["pending_key"] {
            pending = PendingUpload(first: row["pending_first"], last: row["pending_last"], key: key, format: row["pending_format"] ?? "")
        }
        return UploadPosition(receiver: row["receiver"], acceptedThrough: row["accepted_through"], pending: pending,
                              lastError: row["last_error"], lastErrorAt: row["last_error_at"], lastAcceptedAt: row["last_accepted_at"])
    }

    private static func alias(row: Row) -> AliasTarget {
        AliasTarget(code: row["code"], batchKey: row["batch_key"], serial: row["serial"], recordSequence: row["record_seq"])
    }
}
