import PostgresNIO
import YimaStore

/// Upward reporting's positions (docs/upload.md) and external trace codes, as
/// `SQLiteStore+Upload` keeps them. Position writes lock the receiver's row.
extension PostgresStore: UploadStore, AliasStore {
    static let positionColumns = """
        receiver, accepted_through, pending_first, pending_last, pending_key, pending_format, last_error, last_error_at, last_accepted_at
        """

    public func uploadPosition(receiver: String) throws(StoreError) -> UploadPosition {
        try read { session in try Self.position(receiver, in: session, lock: false) }
    }

    public func uploadPositions() throws(StoreError) -> [UploadPosition] {
        try read { session in
            try session.rows("SELECT \(unescaped: Self.positionColumns) FROM upload_positions ORDER BY receiver").map(Self.position(row:))
        }
    }

    public func beginUpload(receiver: String, batch: PendingUpload) throws(StoreError) {
        try positionTransaction { session in
            try session.execute("INSERT INTO upload_positions (receiver) VALUES (\(receiver)) ON CONFLICT (receiver) DO NOTHING")
            let position = try Self.position(receiver, in: session, lock: true)
            if let pending = position.pending {
                guard pending == batch else { throw StoreError.uploadConflict("batch \(pending.key) is pending") }
                return
            }
            guard batch.first == position.acceptedThrough + 1, batch.last >= batch.first else {
                throw StoreError.uploadConflict("next position is \(position.acceptedThrough + 1), not \(batch.first)")
            }
            try session.execute("""
                UPDATE upload_positions SET pending_first = \(batch.first), pending_last = \(batch.last), pending_key = \(batch.key),
                    pending_format = \(batch.format) WHERE receiver = \(receiver)
                """)
        }
    }

    public func acceptUpload(receiver: String, key: String, at time: Int64) throws(StoreError) {
        try positionTransaction { session in
            let changed = try session.execute("""
                UPDATE upload_positions SET accepted_through = pending_last, pending_first = NULL, pending_last = NULL,
                    pending_key = NULL, pending_format = NULL, last_error = NULL, last_error_at = NULL, last_accepted_at = \(time)
                WHERE receiver = \(receiver) AND pending_key = \(key)
                """)
            guard changed == 1 else { throw StoreError.uploadConflict("batch \(key) is not pending") }
        }
    }

    public func noteUploadFailure(receiver: String, message: String, at time: Int64) throws(StoreError) {
        try positionTransaction { session in
            try session.execute("""
                INSERT INTO upload_positions (receiver, last_error, last_error_at) VALUES (\(receiver), \(message), \(time))
                ON CONFLICT (receiver) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at
                """)
        }
    }

    public func alias(code: String) throws(StoreError) -> AliasTarget? {
        try read { session in
            try session.rows("SELECT code, batch_key, serial, record_seq FROM trace_aliases WHERE code = \(code)").first.map(Self.alias(row:))
        }
    }

    public func aliases(batchKey: String) throws(StoreError) -> [AliasTarget] {
        try read { session in
            try session.rows("""
                SELECT code, batch_key, serial, record_seq FROM trace_aliases WHERE batch_key = \(batchKey) ORDER BY record_seq
                """).map(Self.alias(row:))
        }
    }

    // MARK: Rows

    /// One transaction of its own (not the append lock's): positions are not records.
    private func positionTransaction(_ body: (Session) throws -> Void) throws(StoreError) {
        try read { session in try session.transaction { try body(session) } }
    }

    private static func position(_ receiver: String, in session: Session, lock: Bool) throws -> UploadPosition {
        let rows = lock
            ? try session.rows("SELECT \(unescaped: positionColumns) FROM upload_positions WHERE receiver = \(receiver) FOR UPDATE")
            : try session.rows("SELECT \(unescaped: positionColumns) FROM upload_positions WHERE receiver = \(receiver)")
        return try rows.first.map(position(row:)) ?? UploadPosition(receiver: receiver)
    }

    private static func position(row: PostgresRow) throws -> UploadPosition {
        let (receiver, accepted, first, last, key, format, error, errorAt, acceptedAt) =
            try row.decode((String, Int64, Int64?, Int64?, String?, String?, String?, Int64?, Int64?).self)
        var pending: PendingUpload?
        if let key, let first, let last { pending = PendingUpload(first: first, last: last, key: key, format: format ?? "") }
        return UploadPosition(receiver: receiver, acceptedThrough: accepted, pending: pending, lastError: error,
                              lastErrorAt: errorAt, lastAcceptedAt: acceptedAt)
    }

    private static func alias(row: PostgresRow) throws -> AliasTarget {
        let (code, batchKey, serial, sequence) = try row.decode((String, String, String?, Int64).self)
        return AliasTarget(code: code, batchKey: batchKey, serial: serial, recordSequence: sequence)
    }
}
