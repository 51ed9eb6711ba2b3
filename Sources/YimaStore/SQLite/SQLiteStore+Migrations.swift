import Foundation
import GRDB
import YimaLedger
import YimaRecords

extension SQLiteStore {
    /// Versioned schema. Migrations are only ever added, never edited: a deployed
    /// database replays exactly the ones it has not seen.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: records, registry, batches, units") { db in
            try db.execute(sql: """
                CREATE TABLE records (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE CHECK (length(id) = 32),
                    kind TEXT NOT NULL CHECK (kind IN ('party', 'product', 'batch', 'event')),
                    batch_key TEXT,
                    signer_key TEXT NOT NULL,
                    envelope BLOB NOT NULL,
                    recorded_at INTEGER NOT NULL
                );
                CREATE INDEX records_by_batch ON records (batch_key, seq);
                CREATE INDEX records_by_kind ON records (kind, seq);
                -- Nothing is rewritten: a correction is a new record.
                CREATE TRIGGER records_are_append_only_u BEFORE UPDATE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
                CREATE TRIGGER records_are_append_only_d BEFORE DELETE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;

                CREATE TABLE parties (
                    id TEXT PRIMARY KEY,
                    record_seq INTEGER NOT NULL REFERENCES records (seq)
                );
                CREATE TABLE party_keys (
                    key_id TEXT PRIMARY KEY,
                    party_id TEXT NOT NULL REFERENCES parties (id)
                );
                CREATE TABLE products (
                    gtin TEXT PRIMARY KEY,
                    owner TEXT NOT NULL REFERENCES parties (id),
                    record_seq INTEGER NOT NULL REFERENCES records (seq)
                );
                CREATE TABLE batches (
                    key TEXT PRIMARY KEY,
                    gtin TEXT NOT NULL REFERENCES products (gtin),
                    lot TEXT NOT NULL,
                    owner TEXT NOT NULL REFERENCES parties (id),
                    record_seq INTEGER NOT NULL REFERENCES records (seq),
                    head_id BLOB NOT NULL,
                    head_time TEXT NOT NULL,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    unit_count INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (gtin, lot)
                );
                CREATE TABLE units (
                    gtin TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    serial TEXT NOT NULL,
                    key_id TEXT NOT NULL,
                    signature BLOB NOT NULL CHECK (length(signature) = 64),
                    issued_at INTEGER NOT NULL,
                    PRIMARY KEY (gtin, lot, serial),
                    FOREIGN KEY (gtin, lot) REFERENCES batches (gtin, lot)
                ) WITHOUT ROWID;
                CREATE TRIGGER units_are_append_only_u BEFORE UPDATE ON units
                    BEGIN SELECT RAISE(ABORT, 'unit codes are append-only'); END;
                CREATE TRIGGER units_are_append_only_d BEFORE DELETE ON units
                    BEGIN SELECT RAISE(ABORT, 'unit codes are append-only'); END;
                CREATE TABLE packing (
                    child TEXT PRIMARY KEY,
                    parent TEXT NOT NULL,
                    record_seq INTEGER NOT NULL REFERENCES records (seq)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2: transparency log") { db in
            try db.execute(sql: """
                -- RFC 9162 stored hashes of the Merkle tree over records (docs/checkpoint.md).
                CREATE TABLE ledger_hashes (
                    idx INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL CHECK (length(hash) = 32)
                );
                CREATE TRIGGER ledger_is_append_only_u BEFORE UPDATE ON ledger_hashes
                    BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
                CREATE TRIGGER ledger_is_append_only_d BEFORE DELETE ON ledger_hashes
                    BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
                """)
            // Records stored before the log existed become its first leaves, in order.
            let envelopes = try Data.fetchAll(db, sql: "SELECT envelope FROM records ORDER BY seq")
            for (sequence, envelope) in envelopes.enumerated() {
                try SQLiteStore.appendLeaf(Int64(sequence), entry: Array(envelope), in: db)
            }
        }
        migrator.registerMigration("v3: scans and PINs") { db in
            try db.execute(sql: """
                -- Lookup-server state (docs/api.md): observations, not signed records.
                -- A client is a 16-byte HMAC of its address under the data folder's
                -- secret; raw addresses are never stored.
                CREATE TABLE scans (
                    gtin TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    serial TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    clients INTEGER NOT NULL,
                    first_at INTEGER NOT NULL,
                    last_at INTEGER NOT NULL,
                    PRIMARY KEY (gtin, lot, serial)
                ) WITHOUT ROWID;
                CREATE TABLE scan_clients (
                    gtin TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    serial TEXT NOT NULL,
                    client BLOB NOT NULL CHECK (length(client) = 16),
                    first_at INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (gtin, lot, serial, client)
                ) WITHOUT ROWID;
                -- Hidden PINs (刮刮码): only an HMAC-SHA-256 under the data folder's secret.
                CREATE TABLE unit_pins (
                    gtin TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    serial TEXT NOT NULL,
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    created_at INTEGER NOT NULL,
                    first_verified_at INTEGER,
                    PRIMARY KEY (gtin, lot, serial),
                    FOREIGN KEY (gtin, lot, serial) REFERENCES units (gtin, lot, serial)
                ) WITHOUT ROWID;
                CREATE TRIGGER unit_pins_are_kept BEFORE DELETE ON unit_pins
                    BEGIN SELECT RAISE(ABORT, 'PINs are never deleted'); END;
                """)
        }
        migrator.registerMigration("v5 trust: key records, notices") { db in
            // SQLite cannot alter a CHECK: the records table is rebuilt, rows, indexes
            // and triggers unchanged, with the new kind allowed (sqlite.org/lang_altertable.html §7).
            try db.execute(sql: """
                CREATE TABLE records_v5 (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE CHECK (length(id) = 32),
                    kind TEXT NOT NULL CHECK (kind IN ('party', 'product', 'batch', 'event', 'key')),
                    batch_key TEXT,
                    signer_key TEXT NOT NULL,
                    envelope BLOB NOT NULL,
                    recorded_at INTEGER NOT NULL
                );
                INSERT INTO records_v5 SELECT seq, id, kind, batch_key, signer_key, envelope, recorded_at FROM records;
                DROP TABLE records;
                ALTER TABLE records_v5 RENAME TO records;
                CREATE INDEX records_by_batch ON records (batch_key, seq);
                CREATE INDEX records_by_kind ON records (kind, seq);
                CREATE TRIGGER records_are_append_only_u BEFORE UPDATE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
                CREATE TRIGGER records_are_append_only_d BEFORE DELETE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;

                -- Recalls and certificates, found without reading every chain.
                CREATE TABLE notices (
                    record_seq INTEGER PRIMARY KEY REFERENCES records (seq),
                    type TEXT NOT NULL,
                    batch_key TEXT NOT NULL,
                    owner TEXT NOT NULL
                );
                CREATE INDEX notices_by_type ON notices (type, record_seq);
                CREATE INDEX packing_by_parent ON packing (parent);
                """)
            // Recalls recorded before v5 become notices too (the event type existed).
            let events = try Row.fetchAll(db, sql: """
                SELECT records.seq, records.batch_key, records.envelope, batches.owner FROM records
                JOIN batches ON batches.key = records.batch_key WHERE records.kind = 'event' ORDER BY records.seq
                """)
            for row in events {
                let bytes: Data = row["envelope"]
                guard let envelope = try? Envelope(encoded: Array(bytes)), case .event(let event)? = try? Record(payload: envelope.payload),
                      event.type == .recall else { continue }
                try db.execute(sql: "INSERT INTO notices (record_seq, type, batch_key, owner) VALUES (?, 'recall', ?, ?)",
                               arguments: [row["seq"] as Int64, row["batch_key"] as String, row["owner"] as String])
            }
        }
        migrator.registerMigration("v6 labels: units by serial") { db in
            // A typed short code (docs/labels.md §Short code) names only the serial.
            try db.execute(sql: "CREATE INDEX units_by_serial ON units (serial)")
        }
        migrator.registerMigration("v7 workbench: registration requests, request nonces") { db in
            // Requests wait for the county (docs/api.md §Registration requests); two
            // pending ones may not share a credit code, party id or key.
            try db.execute(sql: """
                CREATE TABLE registrations (
                    id TEXT PRIMARY KEY CHECK (length(id) = 64),
                    party_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    credit_code TEXT NOT NULL,
                    key_id TEXT NOT NULL,
                    envelope BLOB NOT NULL,
                    received_at INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
                    decided_at INTEGER,
                    reason TEXT,
                    record TEXT
                ) WITHOUT ROWID;
                CREATE UNIQUE INDEX registrations_pending_credit_code ON registrations (credit_code) WHERE status = 'pending';
                CREATE UNIQUE INDEX registrations_pending_party ON registrations (party_id) WHERE status = 'pending';
                CREATE UNIQUE INDEX registrations_pending_key ON registrations (key_id) WHERE status = 'pending';
                CREATE INDEX registrations_by_status ON registrations (status, received_at);

                -- Nonces of signed requests, until they can no longer pass the time check.
                CREATE TABLE request_nonces (
                    key_id TEXT NOT NULL,
                    nonce TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (key_id, nonce)
                ) WITHOUT ROWID;
                CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at);
                """)
        }
        return migrator
    }
}

