import Foundation
import GRDB

/// Scan counts and PIN hashes in SQLite (tables of migration v3).
extension SQLiteStore: ScanStore {
    /// Writes the batch grouped (`ScanBatch`): per unit one insert-or-update of
    /// `scans`, per (unit, client) one of `scan_clients`. A client is new to the unit
    /// exactly when its `scan_clients` row is inserted (`changes()`), which needs no
    /// RETURNING; a unit new to the store gets its `scans` row complete at once.
    public func recordScans(_ scans: [ScanObservation]) throws(StoreError) {
        guard !scans.isEmpty else { return }
        let batch = ScanBatch(scans)
        try scanTransaction { db in try Self.write(batch, in: db) }
    }

    /// The per-scan writer the batch writer replaced: two upserts with RETURNING per
    /// scan. Kept as the reference that tests and `yima-bench scans` compare
    /// `recordScans` with; the two must leave identical tables.
    public func recordScansOneByOne(_ scans: [ScanObservation]) throws(StoreError) {
        guard !scans.isEmpty else { return }
        try scanTransaction { db in try Self.insertOneByOne(scans, in: db) }
    }

    /// One transaction for scans. Scans are observations, not signed records: their
    /// commits skip the fsync (WAL with synchronous NORMAL survives a crash of the
    /// process, and loses at most the last batches on a power cut), which records keep.
    private func scanTransaction(_ body: (Database) throws -> Void) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                try db.inTransaction {
                    try body(db)
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(Self.message(error))
        }
    }

    private static func write(_ batch: ScanBatch, in db: Database) throws {
        let insertUnit = try DirectStatement(db, sql: """
            INSERT INTO scans (gtin, lot, serial, count, clients, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (gtin, lot, serial) DO NOTHING
            """)
        let updateUnit = try DirectStatement(db, sql: """
            UPDATE scans SET count = count + ?, clients = clients + ?, first_at = min(first_at, ?), last_at = max(last_at, ?)
            WHERE gtin = ? AND lot = ? AND serial = ?
            """)
        let insertClient = try DirectStatement(db, sql: """
            INSERT INTO scan_clients (gtin, lot, serial, client, first_at, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (gtin, lot, serial, client) DO NOTHING
            """)
        let updateClient = try DirectStatement(db, sql: """
            UPDATE scan_clients SET count = count + ? WHERE gtin = ? AND lot = ? AND serial = ? AND client = ?
            """)
        for unit in batch.units {
            let gtin = DirectValue.text(unit.gtin), lot = DirectValue.text(unit.lot), serial = DirectValue.text(unit.serial)
            // Every client of a unit new to the store is new to it (a unit has
            // scan_clients rows only once it has a scans row).
            let unitIsNew = try insertUnit.run(gtin, lot, serial, .integer(unit.count), .integer(Int64(unit.clients.count)),
                                               .integer(unit.firstAt), .integer(unit.lastAt)) == 1
            var newClients: Int64 = 0
            for client in batch.clients[unit.clients] {
                if try insertClient.run(gtin, lot, serial, .blob(client.client), .integer(client.firstAt), .integer(client.count)) == 1 {
                    newClients += 1
                } else {
                    try updateClient.run(.integer(client.count), gtin, lot, serial, .blob(client.client))
                }
            }
            if !unitIsNew {
                try updateUnit.run(.integer(unit.count), .integer(newClients), .integer(unit.firstAt), .integer(unit.lastAt), gtin, lot, serial)
            } else if newClients < Int64(unit.clients.count) {
                // Only if scan_clients held rows of a unit without a scans row (this
                // writer never leaves such rows): count the inserted clients alone,
                // as the per-scan writer does.
                try updateUnit.run(.integer(0), .integer(newClients - Int64(unit.clients.count)), .integer(unit.firstAt),
                                   .integer(unit.lastAt), gtin, lot, serial)
            }
        }
    }

    private static func insertOneByOne(_ scans: [ScanObservation], in db: Database) throws {
        // The client's count after this scan: 1 means a client new to the unit.
        let client = try db.cachedStatement(sql: """
            INSERT INTO scan_clients (gtin, lot, serial, client, first_at, count) VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (gtin, lot, serial, client) DO UPDATE SET count = count + 1 RETURNING count
            """)
        let unit = try db.cachedStatement(sql: """
            INSERT INTO scans (gtin, lot, serial, count, clients, first_at, last_at) VALUES (?, ?, ?, 1, ?, ?, ?)
            ON CONFLICT (gtin, lot, serial) DO UPDATE SET count = count + 1, clients = clients + excluded.clients,
                first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)
            """)
        for scan in scans {
            let seen = try Int64.fetchOne(client, arguments: [scan.gtin, scan.lot, scan.serial, Data(scan.client), scan.time]) ?? 1
            try unit.execute(arguments: [scan.gtin, scan.lot, scan.serial, seen == 1 ? 1 : 0, scan.time, scan.time])
        }
    }

    public func scanSummary(gtin: String, lot: String, serial: String, clientLimit: Int) throws(StoreError) -> ScanSummary {
        try scanRead { db in try Self.scanSummary(gtin: gtin, lot: lot, serial: serial, clientLimit: clientLimit, in: db) }
    }

    public func lookupUnit(gtin: String, lot: String, serial: String, scanClientLimit: Int?) throws(StoreError) -> UnitLookup {
        do {
            // One statement, so one read transaction (one round of WAL locks); the
            // client hashes need a second only for a unit scanned before.
            return try pool.unsafeRead { db in
                // The scans join only when asked: that B-tree grows with every unit scanned.
                let sql = scanClientLimit == nil ? Self.unitLookupSQL : Self.unitAndScansLookupSQL
                guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [gtin, lot, serial]) else {
                    return UnitLookup(unit: nil, batch: nil, container: nil)
                }
                let unit = StoredUnit(gtin: gtin, lot: lot, serial: serial, keyID: row[0], signature: Array(row[1] as Data),
                                      issuedAt: row[2])
                let batch = (row[3] as String?).map { key in
                    BatchState(key: key, gtin: gtin, lot: lot, owner: row[4], headID: Array(row[5] as Data), headTime: row[6],
                               eventCount: row[7], unitCount: row[8])
                }
                var scans: ScanSummary?
                if let limit = scanClientLimit {
                    if let count = row[10] as Int64? {
                        let clients: Int64 = row[11]
                        scans = ScanSummary(count: count, distinctClients: clients, firstScan: row[12], lastScan: row[13],
                                            clients: clients > 0 && limit > 0
                                                ? try Self.scanClients(gtin: gtin, lot: lot, serial: serial, limit: limit, in: db) : [])
                    } else {
                        scans = ScanSummary()
                    }
                }
                return UnitLookup(unit: unit, batch: batch, container: row[9], scans: scans)
            }
        } catch {
            throw .database(Self.message(error))
        }
    }

    /// The unit, its batch and its container by the primary keys; with `scans`,
    /// also the unit's scan counts.
    static func unitLookupSQL(scans: Bool) -> String {
        """
        SELECT u.key_id, u.signature, u.issued_at,
               b.key, b.owner, b.head_id, b.head_time, b.event_count, b.unit_count, p.parent
               \(scans ? ", s.count, s.clients, s.first_at, s.last_at" : "")
        FROM units u
        LEFT JOIN batches b ON b.gtin = u.gtin AND b.lot = u.lot
        LEFT JOIN packing p ON p.child = u.gtin || '/' || u.lot || '/' || u.serial
        \(scans ? "LEFT JOIN scans s ON s.gtin = u.gtin AND s.lot = u.lot AND s.serial = u.serial" : "")
        WHERE u.gtin = ? AND u.lot = ? AND u.serial = ?
        """
    }

    static let unitLookupSQL = unitLookupSQL(scans: false)
    static let unitAndScansLookupSQL = unitLookupSQL(scans: true)

    static func scanClients(gtin: String, lot: String, serial: String, limit: Int, in db: Database) throws -> [[UInt8]] {
        try Data.fetchAll(db.cachedStatement(sql: "SELECT client FROM scan_clients WHERE gtin = ? AND lot = ? AND serial = ? LIMIT ?"),
                          arguments: [gtin, lot, serial, limit]).map { Array($0) }
    }

    static func scanSummary(gtin: String, lot: String, serial: String, clientLimit: Int, in db: Database) throws -> ScanSummary {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT count, clients, first_at, last_at FROM scans WHERE gtin = ? AND lot = ? AND serial = ?"),
                                         arguments: [gtin, lot, serial]) else { return ScanSummary() }
        let clients = clientLimit > 0 ? try scanClients(gtin: gtin, lot: lot, serial: serial, limit: clientLimit, in: db) : []
        return ScanSummary(count: row["count"], distinctClients: row["clients"], firstScan: row["first_at"],
                           lastScan: row["last_at"], clients: clients)
    }

    public func storePins(_ pins: [StoredPin]) throws(StoreError) {
        try scanWrite { db in
            let insert = try db.makeStatement(sql: "INSERT INTO unit_pins (gtin, lot, serial, hash, created_at) VALUES (?, ?, ?, ?, ?)")
            for pin in pins {
                do {
                    try insert.execute(arguments: [pin.gtin, pin.lot, pin.serial, Data(pin.hash), pin.createdAt])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                    throw StoreError.database("unit \(pin.gtin)/\(pin.lot)/\(pin.serial) already has a PIN")
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw StoreError.database("unit \(pin.gtin)/\(pin.lot)/\(pin.serial) was never issued")
                }
            }
        }
    }

    public func pin(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredPin? {
        try scanRead { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM unit_pins WHERE gtin = ? AND lot = ? AND serial = ?",
                                             arguments: [gtin, lot, serial]) else { return nil }
            return StoredPin(gtin: row["gtin"], lot: row["lot"], serial: row["serial"], hash: Array(row["hash"] as Data),
                             createdAt: row["created_at"], firstVerifiedAt: row["first_verified_at"])
        }
    }

    public func markPinVerified(gtin: String, lot: String, serial: String, at time: Int64) throws(StoreError) -> Int64 {
        try scanWrite { db in
            try db.execute(sql: """
                UPDATE unit_pins SET first_verified_at = ? WHERE gtin = ? AND lot = ? AND serial = ? AND first_verified_at IS NULL
                """, arguments: [time, gtin, lot, serial])
            guard let first = try Int64.fetchOne(db, sql: "SELECT first_verified_at FROM unit_pins WHERE gtin = ? AND lot = ? AND serial = ?",
                                                 arguments: [gtin, lot, serial]) else {
                throw StoreError.database("unit \(gtin)/\(lot)/\(serial) has no PIN")
            }
            return first
        }
    }

    public func serials(gtin: String, lot: String) throws(StoreError) -> [String] {
        try scanRead { db in
            try String.fetchAll(db, sql: "SELECT serial FROM units WHERE gtin = ? AND lot = ? ORDER BY serial", arguments: [gtin, lot])
        }
    }

    private func scanWrite<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(Self.message(error))
        }
    }

    private func scanRead<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .database(Self.message(error))
        }
    }
}
