import Foundation
import GRDB
import YimaCodes

/// The embedded store: one SQLite database in WAL mode, through GRDB, with foreign
/// keys on, versioned migrations, append-only triggers, and `synchronous = FULL` so
/// a committed record survives a power cut.
public final class SQLiteStore: RecordStore, UnitStore, PinStore, ActivityStore {
    public static let fileName = "yima.sqlite"
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database in `directory`.
    public init(directory: String) throws(StoreError) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Bulk issuance walks a large B-tree; 64 MiB of page cache keeps it in memory.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw .unavailable("\(path): \(Self.message(error))")
        }
    }

    // MARK: Writes

    public func append(_ record: NewRecord, expectedHead: [UInt8]?) throws(StoreError) -> StoredRecord {
        do {
            return try write { db in try append(record, expectedHead: expectedHead, in: db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    public func appendAll(_ records: [(record: NewRecord, expectedHead: [UInt8]?)]) throws(StoreError) -> [StoredRecord] {
        do {
            return try write { db in
                let tail = try LedgerTail(db)
                return try records.map { try append($0.record, expectedHead: $0.expectedHead, in: db, tail: tail) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    private func append(_ record: NewRecord, expectedHead: [UInt8]?, in db: Database, tail: LedgerTail? = nil) throws -> StoredRecord {
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM records WHERE id = ?"), arguments: [Data(record.id)]) == true {
                throw StoreError.duplicateRecord(id: Self.hex(record.id))
            }
            if record.kind == .event, let key = record.batchKey {
                guard let head = try Data.fetchOne(db, sql: "SELECT head_id FROM batches WHERE key = ?", arguments: [key]) else {
                    throw StoreError.unknownBatch(key)
                }
                if let expectedHead, Array(head) != expectedHead { throw StoreError.staleHead(batch: key) }
            }
            // Cached statements: bulk imports append hundreds of thousands of records per transaction.
            let sequence = try tail?.size ?? Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), -1) + 1 FROM records")) ?? 0
            let now = Int64(Date().timeIntervalSince1970)
            try db.cachedStatement(sql: """
                INSERT INTO records (seq, id, kind, batch_key, signer_key, envelope, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [sequence, Data(record.id), record.kind.rawValue, record.batchKey,
                                         record.signerKeyID, Data(record.envelope), now])
            if let tail {
                try tail.append(sequence, entry: record.envelope, in: db)
            } else {
                try Self.appendLeaf(sequence, entry: record.envelope, in: db)
            }
            for effect in record.effects {
                try apply(effect, sequence: sequence, recordID: record.id, in: db)
            }
            return StoredRecord(sequence: sequence, id: record.id, kind: record.kind, batchKey: record.batchKey,
                                signerKeyID: record.signerKeyID, envelope: record.envelope, recordedAt: now)
    }

    private func apply(_ effect: RecordEffect, sequence: Int64, recordID: [UInt8], in db: Database) throws {
        switch effect {
        case .registerParty(let id, let keyIDs):
            try db.execute(sql: "INSERT INTO parties (id, record_seq) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record_seq = excluded.record_seq",
                           arguments: [id, sequence])
            for keyID in keyIDs {
                try db.execute(sql: "INSERT INTO party_keys (key_id, party_id) VALUES (?, ?)", arguments: [keyID, id])
            }
        case .defineProduct(let gtin, let owner):
            try db.execute(sql: "INSERT INTO products (gtin, owner, record_seq) VALUES (?, ?, ?)",
                           arguments: [gtin, owner, sequence])
        case .createBatch(let key, let gtin, let lot, let owner, let time):
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM batches WHERE key = ?", arguments: [key]) == true {
                throw StoreError.duplicateBatch(key)
            }
            try db.execute(sql: """
                INSERT INTO batches (key, gtin, lot, owner, record_seq, head_id, head_time) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key, gtin, lot, owner, sequence, Data(recordID), time])
        case .advanceBatch(let key, let time):
            try db.execute(sql: "UPDATE batches SET head_id = ?, head_time = ?, event_count = event_count + 1 WHERE key = ?",
                           arguments: [Data(recordID), time, key])
            guard db.changesCount == 1 else { throw StoreError.unknownBatch(key) }
        case .pack(let child, let parent):
            if let existing = try String.fetchOne(db, sql: "SELECT parent FROM packing WHERE child = ?", arguments: [child]) {
                throw StoreError.alreadyPacked(child: child, into: existing)
            }
            try db.execute(sql: "INSERT INTO packing (child, parent, record_seq) VALUES (?, ?, ?)",
                           arguments: [child, parent, sequence])
        case .addPartyKey(let id, let keyID):
            try db.execute(sql: "INSERT INTO party_keys (key_id, party_id) VALUES (?, ?)", arguments: [keyID, id])
        case .notice(let type, let batchKey, let owner):
            try db.execute(sql: "INSERT INTO notices (record_seq, type, batch_key, owner) VALUES (?, ?, ?, ?)",
                           arguments: [sequence, type, batchKey, owner])
        case .assignAlias(let code, let batchKey, let serial):
            if let existing = try String.fetchOne(db, sql: "SELECT batch_key FROM trace_aliases WHERE code = ?", arguments: [code]) {
                throw StoreError.duplicateAlias(code: code, batch: existing)
            }
            try db.execute(sql: "INSERT INTO trace_aliases (code, batch_key, serial, record_seq) VALUES (?, ?, ?, ?)",
                           arguments: [code, batchKey, serial, sequence])
        }
    }

    public func issueUnits(batchKey: String, expectedHead: [UInt8]?, produce: () throws -> [StoredUnit],
                           record: () throws -> NewRecord) throws -> (record: StoredRecord, units: Int) {
        try write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO units (gtin, lot, serial, key_id, signature, issued_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let insertPin = try db.makeStatement(sql: "INSERT INTO unit_pins (gtin, lot, serial, hash, created_at) VALUES (?, ?, ?, ?, ?)")
            var total = 0
            while true {
                let rows = try produce()
                if rows.isEmpty { break }
                for unit in rows {
                    insert.setUncheckedArguments([unit.gtin, unit.lot, unit.serial, unit.keyID,
                                                  Data(unit.signature), unit.issuedAt])
                    do {
                        try insert.execute()
                    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                        throw StoreError.duplicateUnit(BatchKey(gtin: unit.gtin, lot: unit.lot).unit(unit.serial).description)
                    }
                    if let pinHash = unit.pinHash {
                        try insertPin.execute(arguments: [unit.gtin, unit.lot, unit.serial, Data(pinHash), unit.issuedAt])
                    }
                }
                total += rows.count
            }
            let stored = try append(try record(), expectedHead: expectedHead, in: db)
            try db.execute(sql: "UPDATE batches SET unit_count = unit_count + ? WHERE key = ?", arguments: [total, batchKey])
            return (stored, total)
        }
    }

    // MARK: Reads

    public func record(id: [UInt8]) throws(StoreError) -> StoredRecord? {
        try read { db in try StoredRecord.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [Data(id)]) }
    }

    public func records(batchKey: String) throws(StoreError) -> [StoredRecord] {
        try read { db in try StoredRecord.fetchAll(db, sql: "SELECT * FROM records WHERE batch_key = ? ORDER BY seq", arguments: [batchKey]) }
    }

    public func records(batchKey: String, after sequence: Int64) throws(StoreError) -> [StoredRecord] {
        try read { db in
            try StoredRecord.fetchAll(db, sql: "SELECT * FROM records WHERE batch_key = ? AND seq > ? ORDER BY seq",
                                      arguments: [batchKey, sequence])
        }
    }

    public func lookupUnit(gtin: String, lot: String, serial: String) throws(StoreError) -> UnitLookup {
        try read { db in
            UnitLookup(unit: try Self.unit(gtin: gtin, lot: lot, serial: serial, in: db),
                       batch: try Self.batch(key: BatchKey(gtin: gtin, lot: lot).description, in: db),
                       container: try Self.container(gtin: gtin, lot: lot, serial: serial, in: db))
        }
    }

    public func records(kind: RecordKind) throws(StoreError) -> [StoredRecord] {
        try read { db in try StoredRecord.fetchAll(db, sql: "SELECT * FROM records WHERE kind = ? ORDER BY seq", arguments: [kind.rawValue]) }
    }

    public func recordCount() throws(StoreError) -> Int64 {
        // Positions are contiguous from 0, so the count is the last one plus one: an
        // index lookup, where COUNT(*) would scan the table.
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), -1) + 1 FROM records") ?? 0 }
    }

    public func partyRecord(forKey keyID: String) throws(StoreError) -> StoredRecord? {
        try read { db in
            try StoredRecord.fetchOne(db, sql: """
                SELECT records.* FROM party_keys JOIN parties ON parties.id = party_keys.party_id
                JOIN records ON records.seq = parties.record_seq WHERE party_keys.key_id = ?
                """, arguments: [keyID])
        }
    }

    public func partyRecord(id: String) throws(StoreError) -> StoredRecord? {
        try read { db in
            try StoredRecord.fetchOne(db, sql: "SELECT records.* FROM parties JOIN records ON records.seq = parties.record_seq WHERE parties.id = ?",
                                      arguments: [id])
        }
    }

    public func productRecord(gtin: String) throws(StoreError) -> StoredRecord? {
        try read { db in
            try StoredRecord.fetchOne(db, sql: "SELECT records.* FROM products JOIN records ON records.seq = products.record_seq WHERE products.gtin = ?",
                                      arguments: [gtin])
        }
    }

    public func batch(key: String) throws(StoreError) -> BatchState? {
        try read { db in try Self.batch(key: key, in: db) }
    }

    public func unit(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredUnit? {
        try read { db in try Self.unit(gtin: gtin, lot: lot, serial: serial, in: db) }
    }

    private static func container(gtin: String, lot: String, serial: String, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT parent FROM packing WHERE child = ?"), arguments: [BatchKey(gtin: gtin, lot: lot).unit(serial).description])
    }

    static func batch(key: String, in db: Database) throws -> BatchState? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM batches WHERE key = ?"), arguments: [key]) else { return nil }
        return BatchState(key: row["key"], gtin: row["gtin"], lot: row["lot"], owner: row["owner"],
                          headID: Array(row["head_id"] as Data), headTime: row["head_time"],
                          eventCount: row["event_count"], unitCount: row["unit_count"])
    }

    private static func unit(gtin: String, lot: String, serial: String, in db: Database) throws -> StoredUnit? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM units WHERE gtin = ? AND lot = ? AND serial = ?"),
                                         arguments: [gtin, lot, serial]) else { return nil }
        return unit(row: row)
    }

    private static func unit(row: Row) -> StoredUnit {
        StoredUnit(gtin: row["gtin"], lot: row["lot"], serial: row["serial"], keyID: row["key_id"],
                   signature: Array(row["signature"] as Data), issuedAt: row["issued_at"])
    }

    public func container(of child: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT parent FROM packing WHERE child = ?", arguments: [child]) }
    }

    public func units(gtin: String, lot: String, after serial: String?, limit: Int) throws(StoreError) -> [StoredUnit] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM units WHERE gtin = ? AND lot = ? AND serial > ? ORDER BY serial LIMIT ?"),
                             arguments: [gtin, lot, serial ?? "", limit]).map(Self.unit(row:))
        }
    }

    public func units(serial: String) throws(StoreError) -> [StoredUnit] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM units WHERE serial = ?"), arguments: [serial]).map(Self.unit(row:))
        }
    }

    // MARK: Plumbing

    /// Runs `body` in one write transaction. SQLite's errors become `StoreError`;
    /// errors thrown by `body` itself (a caller's producer) pass through unchanged.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StoreError.database(Self.message(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .database(Self.message(error))
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

extension StoredRecord: FetchableRecord {
    public init(row: Row) {
        self.init(sequence: row["seq"], id: Array(row["id"] as Data), kind: RecordKind(rawValue: row["kind"]) ?? .event,
                  batchKey: row["batch_key"], signerKeyID: row["signer_key"],
                  envelope: Array(row["envelope"] as Data), recordedAt: row["recorded_at"])
    }
}
