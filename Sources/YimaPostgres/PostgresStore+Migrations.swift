import PostgresNIO
import YimaStore

/// Versioned schema, as SQLite's migrator keeps it: migrations are only ever added,
/// never edited, and `yima_migrations` records which ones a database has seen. The
/// first one is the SQLite schema as it stands after its own v1–v6 (a PostgreSQL
/// store starts empty or from `yima migrate`, never from an older PostgreSQL schema).
///
/// Text keys compare bytewise (COLLATE "C"), as SQLite's BINARY does, so serials sort
/// and `containers(gtin:lot:)`'s key range match the embedded store's whatever the
/// database's locale.
extension PostgresStore {
    static let migrations: [(version: Int32, name: String, sql: [String])] = [
        (1, "records, registry, batches, units, log, scans, PINs, notices", [
            """
            CREATE FUNCTION yima_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$
            """,
            """
            CREATE TABLE records (
                seq BIGINT PRIMARY KEY CHECK (seq >= 0),
                id BYTEA NOT NULL UNIQUE CHECK (length(id) = 32),
                kind TEXT NOT NULL CHECK (kind IN ('party', 'product', 'batch', 'event', 'key')),
                batch_key TEXT COLLATE "C",
                signer_key TEXT NOT NULL,
                envelope BYTEA NOT NULL,
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX records_by_batch ON records (batch_key, seq)",
            "CREATE INDEX records_by_kind ON records (kind, seq)",
            // Nothing is rewritten: a correction is a new record. Statement triggers
            // also refuse TRUNCATE, which row triggers would not see.
            """
            CREATE TRIGGER records_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON records
                FOR EACH STATEMENT EXECUTE FUNCTION yima_refuse('records are append-only')
            """,
            "CREATE TABLE parties (id TEXT COLLATE \"C\" PRIMARY KEY, record_seq BIGINT NOT NULL REFERENCES records (seq))",
            "CREATE TABLE party_keys (key_id TEXT PRIMARY KEY, party_id TEXT COLLATE \"C\" NOT NULL REFERENCES parties (id))",
            """
            CREATE TABLE products (
                gtin TEXT COLLATE "C" PRIMARY KEY,
                owner TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
                record_seq BIGINT NOT NULL REFERENCES records (seq)
            )
            """,
            """
            CREATE TABLE batches (
                key TEXT COLLATE "C" PRIMARY KEY,
                gtin TEXT COLLATE "C" NOT NULL REFERENCES products (gtin),
                lot TEXT COLLATE "C" NOT NULL,
                owner TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
                record_seq BIGINT NOT NULL REFERENCES records (seq),
                head_id BYTEA NOT NULL,
                head_time TEXT NOT NULL,
                event_count BIGINT NOT NULL DEFAULT 0,
                unit_count BIGINT NOT NULL DEFAULT 0,
                UNIQUE (gtin, lot)
            )
            """,
            "CREATE INDEX batches_by_owner ON batches (owner, key)",
            """
            CREATE TABLE units (
                gtin TEXT COLLATE "C" NOT NULL,
                lot TEXT COLLATE "C" NOT NULL,
                serial TEXT COLLATE "C" NOT NULL,
                key_id TEXT NOT NULL,
                signature BYTEA NOT NULL CHECK (length(signature) = 64),
                issued_at BIGINT NOT NULL,
                PRIMARY KEY (gtin, lot, serial),
                FOREIGN KEY (gtin, lot) REFERENCES batches (gtin, lot)
            )
            """,
            "CREATE INDEX units_by_serial ON units (serial)",
            """
            CREATE TRIGGER units_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON units
                FOR EACH STATEMENT EXECUTE FUNCTION yima_refuse('unit codes are append-only')
            """,
            """
            CREATE TABLE packing (
                child TEXT COLLATE "C" PRIMARY KEY,
                parent TEXT COLLATE "C" NOT NULL,
                record_seq BIGINT NOT NULL REFERENCES records (seq)
            )
            """,
            "CREATE INDEX packing_by_parent ON packing (parent)",
            // RFC 9162 stored hashes of the Merkle tree over records (docs/checkpoint.md).
            "CREATE TABLE ledger_hashes (idx BIGINT PRIMARY KEY, hash BYTEA NOT NULL CHECK (length(hash) = 32))",
            """
            CREATE TRIGGER ledger_is_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_hashes
                FOR EACH STATEMENT EXECUTE FUNCTION yima_refuse('the log is append-only')
            """,
            // Lookup-server state (docs/api.md): observations, not signed records.
            """
            CREATE TABLE scans (
                gtin TEXT COLLATE "C" NOT NULL,
                lot TEXT COLLATE "C" NOT NULL,
                serial TEXT COLLATE "C" NOT NULL,
                count BIGINT NOT NULL,
                clients BIGINT NOT NULL,
                first_at BIGINT NOT NULL,
                last_at BIGINT NOT NULL,
                PRIMARY KEY (gtin, lot, serial)
            )
            """,
            """
            CREATE TABLE scan_clients (
                gtin TEXT COLLATE "C" NOT NULL,
                lot TEXT COLLATE "C" NOT NULL,
                serial TEXT COLLATE "C" NOT NULL,
                client BYTEA NOT NULL CHECK (length(client) = 16),
                first_at BIGINT NOT NULL,
                count BIGINT NOT NULL,
                PRIMARY KEY (gtin, lot, serial, client)
            )
            """,
            // Hidden PINs (刮刮码): only an HMAC-SHA-256 under the data folder's secret.
            """
            CREATE TABLE unit_pins (
                gtin TEXT COLLATE "C" NOT NULL,
                lot TEXT COLLATE "C" NOT NULL,
                serial TEXT COLLATE "C" NOT NULL,
                hash BYTEA NOT NULL CHECK (length(hash) = 32),
                created_at BIGINT NOT NULL,
                first_verified_at BIGINT,
                PRIMARY KEY (gtin, lot, serial),
                FOREIGN KEY (gtin, lot, serial) REFERENCES units (gtin, lot, serial)
            )
            """,
            """
            CREATE TRIGGER unit_pins_are_kept BEFORE DELETE OR TRUNCATE ON unit_pins
                FOR EACH STATEMENT EXECUTE FUNCTION yima_refuse('PINs are never deleted')
            """,
            // Recalls and certificates, found without reading every chain.
            """
            CREATE TABLE notices (
                record_seq BIGINT PRIMARY KEY REFERENCES records (seq),
                type TEXT NOT NULL,
                batch_key TEXT COLLATE "C" NOT NULL,
                owner TEXT COLLATE "C" NOT NULL
            )
            """,
            "CREATE INDEX notices_by_type ON notices (type, record_seq)",
        ]),
        (2, "upload positions, trace aliases", [
            // Upward reporting (docs/upload.md): per receiver, the last log position it
            // accepted and the batch in flight. Operational state, not records.
            """
            CREATE TABLE upload_positions (
                receiver TEXT COLLATE "C" PRIMARY KEY,
                accepted_through BIGINT NOT NULL DEFAULT -1,
                pending_first BIGINT,
                pending_last BIGINT,
                pending_key TEXT,
                pending_format TEXT,
                last_error TEXT,
                last_error_at BIGINT,
                last_accepted_at BIGINT,
                CHECK ((pending_key IS NULL) = (pending_first IS NULL))
            )
            """,
            // External trace codes (docs/records.md §External trace codes): one target each, for ever.
            """
            CREATE TABLE trace_aliases (
                code TEXT COLLATE "C" PRIMARY KEY,
                batch_key TEXT COLLATE "C" NOT NULL REFERENCES batches (key),
                serial TEXT COLLATE "C",
                record_seq BIGINT NOT NULL REFERENCES records (seq)
            )
            """,
            "CREATE INDEX trace_aliases_by_batch ON trace_aliases (batch_key, record_seq)",
            """
            CREATE TRIGGER trace_aliases_are_kept BEFORE UPDATE OR DELETE OR TRUNCATE ON trace_aliases
                FOR EACH STATEMENT EXECUTE FUNCTION yima_refuse('trace aliases are append-only')
            """,
        ]),
        // SQLite's v8 (docs/api.md §Registration requests, §Signed requests).
        (3, "workbench: registration requests, request nonces", [
            """
            CREATE TABLE registrations (
                id TEXT COLLATE "C" PRIMARY KEY CHECK (length(id) = 64),
                party_id TEXT COLLATE "C" NOT NULL,
                name TEXT NOT NULL,
                credit_code TEXT COLLATE "C" NOT NULL,
                key_id TEXT COLLATE "C" NOT NULL,
                envelope BYTEA NOT NULL,
                received_at BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
                decided_at BIGINT,
                reason TEXT,
                record TEXT
            )
            """,
            "CREATE UNIQUE INDEX registrations_pending_credit_code ON registrations (credit_code) WHERE status = 'pending'",
            "CREATE UNIQUE INDEX registrations_pending_party ON registrations (party_id) WHERE status = 'pending'",
            "CREATE UNIQUE INDEX registrations_pending_key ON registrations (key_id) WHERE status = 'pending'",
            "CREATE INDEX registrations_by_status ON registrations (status, received_at)",
            """
            CREATE TABLE request_nonces (
                key_id TEXT COLLATE "C" NOT NULL,
                nonce TEXT COLLATE "C" NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (key_id, nonce)
            )
            """,
            "CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at)",
        ]),
    ]

    static var schemaVersion: Int32 { migrations.last!.version }

    /// Applies the migrations `session`'s database has not seen, each in its own
    /// transaction, under an advisory lock so that servers starting together apply
    /// each once. Refuses a database from a newer Yima.
    static func migrate(_ session: Session, url: DatabaseURL) throws {
        try session.transaction {
            try session.execute("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS yima_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let current = try session.rows("SELECT COALESCE(MAX(version), 0) FROM yima_migrations")
                .first?.decode(Int32.self) ?? 0
            if current > schemaVersion {
                throw StoreError.unavailable("\(url): the database is at schema version \(current); this yima knows versions up to \(schemaVersion)")
            }
            for migration in migrations where migration.version > current {
                for statement in migration.sql {
                    try session.execute(PostgresQuery(unsafeSQL: statement))
                }
                try session.execute("INSERT INTO yima_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
        }
    }

    /// Refuses a database whose schema is not this Yima's, without changing it (a
    /// standby cannot be written; its primary's store migrates it).
    static func checkVersion(_ session: Session, url: DatabaseURL) throws {
        let current = try session.rows("SELECT COALESCE(MAX(version), 0) FROM yima_migrations").first?.decode(Int32.self) ?? 0
        guard current == schemaVersion else {
            throw StoreError.unavailable("\(url): the database is at schema version \(current); this yima needs version \(schemaVersion)")
        }
    }

    /// Advisory lock keys (any 64-bit numbers, fixed for the life of the schema).
    static let migrationLock: Int64 = 0x5969_6D61_0001  // "Yima" 1
    /// Held by every transaction that appends records: leaves get consecutive
    /// positions and a chain's head is checked and moved by one writer at a time.
    static let appendLock: Int64 = 0x5969_6D61_0002
    /// Held while a registration request is checked and added, so two requests with
    /// the same credit code, party or key cannot both pass the check.
    static let registrationLock: Int64 = 0x5969_6D61_0003
}
