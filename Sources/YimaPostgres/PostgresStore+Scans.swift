import Foundation
import PostgresNIO
import YimaCodes
import YimaStore

/// Scan counts, PIN hashes and the regulator's aggregates.
extension PostgresStore: ScanStore {
    /// One statement per flush: the flush grouped per unit and client (`ScanBatch`),
    /// the clients upserted, and each unit's counts moved by its scans and by the
    /// clients that were new to it (`xmax = 0` marks a row the upsert inserted).
    /// Rows are touched in the batch's key order, so two servers flushing at once
    /// lock them in the same order and wait for each other instead of deadlocking.
    public func recordScans(_ scans: [ScanObservation]) throws(StoreError) {
        guard !scans.isEmpty else { return }
        let batch = ScanBatch(scans)
        var clientUnits: [ScanBatch.Unit] = []
        for unit in batch.units { clientUnits += Array(repeating: unit, count: unit.clients.count) }
        try read { session in
            try session.transaction {
                _ = try session.execute("""
                    WITH new_clients AS (
                        INSERT INTO scan_clients (gtin, lot, serial, client, first_at, count)
                        SELECT * FROM unnest(\(clientUnits.map(\.gtin)), \(clientUnits.map(\.lot)), \(clientUnits.map(\.serial)),
                                             \(batch.clients.map { ByteBuffer(bytes: $0.client) }), \(batch.clients.map(\.firstAt)),
                                             \(batch.clients.map(\.count)))
                        ON CONFLICT (gtin, lot, serial, client) DO UPDATE SET count = scan_clients.count + excluded.count
                        RETURNING gtin, lot, serial, (xmax = 0) AS inserted
                    ), per_unit AS (
                        SELECT gtin, lot, serial, count(*) FILTER (WHERE inserted) AS clients FROM new_clients GROUP BY gtin, lot, serial
                    ), units (gtin, lot, serial, count, first_at, last_at) AS (
                        SELECT * FROM unnest(\(batch.units.map(\.gtin)), \(batch.units.map(\.lot)), \(batch.units.map(\.serial)),
                                             \(batch.units.map(\.count)), \(batch.units.map(\.firstAt)), \(batch.units.map(\.lastAt)))
                    )
                    INSERT INTO scans (gtin, lot, serial, count, clients, first_at, last_at)
                    SELECT u.gtin, u.lot, u.serial, u.count, COALESCE(p.clients, 0), u.first_at, u.last_at
                    FROM units u LEFT JOIN per_unit p ON p.gtin = u.gtin COLLATE "C" AND p.lot = u.lot COLLATE "C"
                                                     AND p.serial = u.serial COLLATE "C"
                    ON CONFLICT (gtin, lot, serial) DO UPDATE SET count = scans.count + excluded.count,
                        clients = scans.clients + excluded.clients, first_at = LEAST(scans.first_at, excluded.first_at),
                        last_at = GREATEST(scans.last_at, excluded.last_at)
                    """)
            }
        }
    }

    public func scanSummary(gtin: String, lot: String, serial: String, clientLimit: Int) throws(StoreError) -> ScanSummary {
        try read { session in
            guard let row = try session.rows("""
                SELECT count, clients, first_at, last_at FROM scans WHERE gtin = \(gtin) AND lot = \(lot) AND serial = \(serial)
                """).first else { return ScanSummary() }
            let (count, clients, first, last) = try row.decode((Int64, Int64, Int64, Int64).self)
            return ScanSummary(count: count, distinctClients: clients, firstScan: first, lastScan: last,
                               clients: clientLimit > 0 ? try Self.scanClients(gtin: gtin, lot: lot, serial: serial, limit: clientLimit, in: session) : [])
        }
    }

    /// The first `limit` clients in key order, the subset SQLite's primary key gives.
    static func scanClients(gtin: String, lot: String, serial: String, limit: Int, in session: Session) throws -> [[UInt8]] {
        try session.rows("""
            SELECT client FROM scan_clients WHERE gtin = \(gtin) AND lot = \(lot) AND serial = \(serial)
            ORDER BY client LIMIT \(Int64(limit))
            """).map { try Array($0.decode(Data.self)) }
    }

    /// The unit, its batch, its container and (when asked) its scan counts in one
    /// statement; the client hashes need a second only for a unit scanned before.
    public func lookupUnit(gtin: String, lot: String, serial: String, scanClientLimit: Int?) throws(StoreError) -> UnitLookup {
        try read { session in
            guard let row = try session.rows("""
                SELECT u.key_id, u.signature, u.issued_at,
                       b.key, b.owner, b.head_id, b.head_time, b.event_count, b.unit_count, p.parent,
                       s.count, s.clients, s.first_at, s.last_at
                FROM units u
                LEFT JOIN batches b ON b.gtin = u.gtin AND b.lot = u.lot
                LEFT JOIN packing p ON p.child = u.gtin || '/' || u.lot || '/' || u.serial
                LEFT JOIN scans s ON \(scanClientLimit != nil) AND s.gtin = u.gtin AND s.lot = u.lot AND s.serial = u.serial
                WHERE u.gtin = \(gtin) AND u.lot = \(lot) AND u.serial = \(serial)
                """).first else {
                return UnitLookup(unit: nil, batch: nil, container: nil)
            }
            let (keyID, signature, issuedAt, key, owner, head, headTime, events, units, container, scanCount, clients, firstScan, lastScan) =
                try row.decode((String, Data, Int64, String?, String?, Data?, String?, Int64?, Int64?, String?,
                                Int64?, Int64?, Int64?, Int64?).self)
            let unit = StoredUnit(gtin: gtin, lot: lot, serial: serial, keyID: keyID, signature: Array(signature), issuedAt: issuedAt)
            let batch = key.map { key in
                BatchState(key: key, gtin: gtin, lot: lot, owner: owner ?? "", headID: Array(head ?? Data()), headTime: headTime ?? "",
                           eventCount: Int(events ?? 0), unitCount: Int(units ?? 0))
            }
            var scans: ScanSummary?
            if let limit = scanClientLimit {
                if let scanCount, let clients {
                    scans = ScanSummary(count: scanCount, distinctClients: clients, firstScan: firstScan, lastScan: lastScan,
                                        clients: clients > 0 && limit > 0
                                            ? try Self.scanClients(gtin: gtin, lot: lot, serial: serial, limit: limit, in: session) : [])
                } else {
                    scans = ScanSummary()
                }
            }
            return UnitLookup(unit: unit, batch: batch, container: container, scans: scans)
        }
    }

    // MARK: PINs

    public func storePins(_ pins: [StoredPin]) throws(StoreError) {
        guard !pins.isEmpty else { return }
        try read { session in
            try session.transaction {
                // The same refusals as SQLite's, naming the unit: first a unit never
                // issued, then one that already has a PIN.
                if let row = try session.rows("""
                    SELECT p.gtin, p.lot, p.serial FROM unnest(\(pins.map(\.gtin)), \(pins.map(\.lot)), \(pins.map(\.serial)))
                        WITH ORDINALITY AS p (gtin, lot, serial, n)
                    WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.gtin = p.gtin COLLATE "C" AND u.lot = p.lot COLLATE "C"
                                      AND u.serial = p.serial COLLATE "C")
                    ORDER BY p.n LIMIT 1
                    """).first {
                    let (gtin, lot, serial) = try row.decode((String, String, String).self)
                    throw StoreError.database("unit \(gtin)/\(lot)/\(serial) was never issued")
                }
                var seen = Set<[UInt8]>()
                for pin in pins where !seen.insert(Array("\(pin.gtin)\0\(pin.lot)\0\(pin.serial)".utf8)).inserted {
                    throw StoreError.database("unit \(pin.gtin)/\(pin.lot)/\(pin.serial) already has a PIN")
                }
                if let row = try session.rows("""
                    SELECT p.gtin, p.lot, p.serial FROM unnest(\(pins.map(\.gtin)), \(pins.map(\.lot)), \(pins.map(\.serial)))
                        WITH ORDINALITY AS p (gtin, lot, serial, n)
                    WHERE EXISTS (SELECT 1 FROM unit_pins u WHERE u.gtin = p.gtin COLLATE "C" AND u.lot = p.lot COLLATE "C"
                                  AND u.serial = p.serial COLLATE "C")
                    ORDER BY p.n LIMIT 1
                    """).first {
                    let (gtin, lot, serial) = try row.decode((String, String, String).self)
                    throw StoreError.database("unit \(gtin)/\(lot)/\(serial) already has a PIN")
                }
                try session.execute("""
                    INSERT INTO unit_pins (gtin, lot, serial, hash, created_at)
                    SELECT * FROM unnest(\(pins.map(\.gtin)), \(pins.map(\.lot)), \(pins.map(\.serial)),
                                         \(pins.map { ByteBuffer(bytes: $0.hash) }), \(pins.map(\.createdAt)))
                    """)
            }
        }
    }

    public func pin(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredPin? {
        try read { session in
            try session.rows("""
                SELECT hash, created_at, first_verified_at FROM unit_pins WHERE gtin = \(gtin) AND lot = \(lot) AND serial = \(serial)
                """).first.map { row in
                let (hash, created, verified) = try row.decode((Data, Int64, Int64?).self)
                return StoredPin(gtin: gtin, lot: lot, serial: serial, hash: Array(hash), createdAt: created, firstVerifiedAt: verified)
            }
        }
    }

    public func markPinVerified(gtin: String, lot: String, serial: String, at time: Int64) throws(StoreError) -> Int64 {
        try read { session in
            // One statement: set it unless set, and read what it is now.
            guard let first = try session.rows("""
                UPDATE unit_pins SET first_verified_at = COALESCE(first_verified_at, \(time))
                WHERE gtin = \(gtin) AND lot = \(lot) AND serial = \(serial) RETURNING first_verified_at
                """).first?.decode(Int64.self) else {
                throw StoreError.database("unit \(gtin)/\(lot)/\(serial) has no PIN")
            }
            return first
        }
    }

    // MARK: Activity

    public func activity(from: Int64, until: Int64, copyWarningClients: Int) throws(StoreError) -> [BatchActivity] {
        try read { session in
            var batches: [String: BatchActivity] = [:]
            for row in try session.rows("SELECT key, gtin, owner FROM batches") {
                let (key, gtin, owner) = try row.decode((String, String, String).self)
                batches[key] = BatchActivity(batchKey: key, gtin: gtin, owner: owner)
            }
            func add(_ query: PostgresQuery, _ apply: (inout BatchActivity, PostgresRow) throws -> Void) throws {
                for row in try session.rows(query) {
                    let key = try row.decode(String.self)
                    if batches[key] != nil { try apply(&batches[key]!, row) }
                }
            }
            try add("""
                SELECT gtin || '/' || lot, count(*) FROM units WHERE issued_at BETWEEN \(from) AND \(until) GROUP BY gtin, lot
                """) { $0.counts.codesIssued = try $1.decode((String, Int64).self).1 }
            try add("""
                SELECT gtin || '/' || lot, sum(count)::bigint, count(*) FILTER (WHERE clients > \(Int64(copyWarningClients)))
                FROM scans WHERE last_at BETWEEN \(from) AND \(until) GROUP BY gtin, lot
                """) { activity, row in
                let (_, scans, warned) = try row.decode((String, Int64, Int64).self)
                activity.counts.scans = scans
                activity.counts.copyWarnings = warned
            }
            try add("""
                SELECT gtin || '/' || lot, count(*) FROM unit_pins WHERE first_verified_at BETWEEN \(from) AND \(until) GROUP BY gtin, lot
                """) { $0.counts.pinVerifications = try $1.decode((String, Int64).self).1 }
            try add("""
                SELECT notices.batch_key, notices.type, count(*) FROM notices JOIN records ON records.seq = notices.record_seq
                WHERE records.recorded_at BETWEEN \(from) AND \(until) GROUP BY notices.batch_key, notices.type
                """) { activity, row in
                let (_, type, count) = try row.decode((String, String, Int64).self)
                switch type {
                case "recall": activity.counts.recalls = count
                case "certificate": activity.counts.certificates = count
                case "certificate_receipt": activity.counts.certificateReceipts = count
                default: break
                }
            }
            return batches.values.sorted { $0.batchKey < $1.batchKey }
        }
    }

    public func dailyScans(from: Int64, until: Int64, utcOffsetSeconds: Int) throws(StoreError) -> [DailyScans] {
        try read { session in
            try session.rows("""
                SELECT to_char(to_timestamp(first_at + \(Int64(utcOffsetSeconds))) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                       sum(count)::bigint
                FROM scan_clients WHERE first_at BETWEEN \(from) AND \(until) GROUP BY day ORDER BY day
                """).map { row in
                let (day, scans) = try row.decode((String, Int64).self)
                return DailyScans(day: day, scans: scans)
            }
        }
    }
}
