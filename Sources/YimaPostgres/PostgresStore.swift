import Foundation
import PostgresNIO
import YimaCodes
import YimaLedger
import YimaStore

/// The store on PostgreSQL, for deployments that outgrow one machine (issue 13): the
/// same protocols and guarantees as `SQLiteStore`, so several `yima serve` processes
/// can share one database.
///
/// - Every write is one transaction; a connection lost before COMMIT leaves nothing.
/// - Records, units and the log's hashes are append-only: statement triggers refuse
///   UPDATE, DELETE and TRUNCATE (PostgresStore+Migrations.swift).
/// - Appends serialise on an advisory lock held to COMMIT, so leaves get consecutive
///   positions with no gap, and a batch's head is checked and moved by one writer at
///   a time: of two concurrent events on one head, the second gets `staleHead`.
/// - The Merkle log stores the same hashes at the same indexes as SQLite's, so both
///   engines give the same roots and proofs for the same records.
public final class PostgresStore: RecordStore, UnitStore, PinStore, ActivityStore, @unchecked Sendable {
    public let url: DatabaseURL
    let connections: BlockingConnections

    /// Connects to `url` (one clear `unavailable` error if it cannot), and brings the
    /// schema up to date (unless not `migrating`: a hot standby, which is read-only and
    /// replays its primary's). `connections` caps this process's connections.
    public init(url: DatabaseURL, connections limit: Int = 8, migrating: Bool = true) throws(StoreError) {
        self.url = url
        connections = BlockingConnections(url: url, limit: limit)
        do {
            try connections.with { session in
                if migrating { try Self.migrate(session, url: url) } else { try Self.checkVersion(session, url: url) }
            }
        } catch {
            connections.close()
            throw PostgresFailure.storeError(error, url: url)
        }
    }

    public convenience init(url: String, connections limit: Int = 8) throws(StoreError) {
        try self.init(url: DatabaseURL(url), connections: limit)
    }

    deinit { connections.close() }

    /// Closes the connections; the store cannot be used afterwards.
    public func close() { connections.close() }

    // MARK: Writes

    public func append(_ record: NewRecord, expectedHead: [UInt8]?) throws(StoreError) -> StoredRecord {
        try write { session in
            let tail = try LedgerTail(session)
            return try append(record, expectedHead: expectedHead, in: session, tail: tail)
        }
    }

    public func appendAll(_ records: [(record: NewRecord, expectedHead: [UInt8]?)]) throws(StoreError) -> [StoredRecord] {
        try write { session in
            let tail = try LedgerTail(session)
            return try records.map { try append($0.record, expectedHead: $0.expectedHead, in: session, tail: tail) }
        }
    }

    private func append(_ record: NewRecord, expectedHead: [UInt8]?, in session: Session, tail: LedgerTail) throws -> StoredRecord {
        if try !session.rows("SELECT 1 FROM records WHERE id = \(ByteBuffer(bytes: record.id))").isEmpty {
            throw StoreError.duplicateRecord(id: Self.hex(record.id))
        }
        if record.kind == .event, let key = record.batchKey {
            guard let head = try session.rows("SELECT head_id FROM batches WHERE key = \(key)").first?.decode(Data.self) else {
                throw StoreError.unknownBatch(key)
            }
            if let expectedHead, Array(head) != expectedHead { throw StoreError.staleHead(batch: key) }
        }
        let sequence = tail.size
        let now = Int64(Date().timeIntervalSince1970)
        try session.execute("""
            INSERT INTO records (seq, id, kind, batch_key, signer_key, envelope, recorded_at)
            VALUES (\(sequence), \(ByteBuffer(bytes: record.id)), \(record.kind.rawValue), \(record.batchKey), \(record.signerKeyID),
                    \(ByteBuffer(bytes: record.envelope)), \(now))
            """)
        try tail.append(sequence, entry: record.envelope, in: session)
        for effect in record.effects {
            try apply(effect, sequence: sequence, recordID: record.id, in: session)
        }
        return StoredRecord(sequence: sequence, id: record.id, kind: record.kind, batchKey: record.batchKey,
                            signerKeyID: record.signerKeyID, envelope: record.envelope, recordedAt: now)
    }

    private func apply(_ effect: RecordEffect, sequence: Int64, recordID: [UInt8], in session: Session) throws {
        switch effect {
        case .registerParty(let id, let keyIDs):
            try session.execute("""
                INSERT INTO parties (id, record_seq) VALUES (\(id), \(sequence))
                ON CONFLICT (id) DO UPDATE SET record_seq = excluded.record_seq
                """)
            for keyID in keyIDs {
                try session.execute("INSERT INTO party_keys (key_id, party_id) VALUES (\(keyID), \(id))")
            }
        case .defineProduct(let gtin, let owner):
            try session.execute("INSERT INTO products (gtin, owner, record_seq) VALUES (\(gtin), \(owner), \(sequence))")
        case .createBatch(let key, let gtin, let lot, let owner, let time):
            if try !session.rows("SELECT 1 FROM batches WHERE key = \(key)").isEmpty {
                throw StoreError.duplicateBatch(key)
            }
            try session.execute("""
                INSERT INTO batches (key, gtin, lot, owner, record_seq, head_id, head_time)
                VALUES (\(key), \(gtin), \(lot), \(owner), \(sequence), \(ByteBuffer(bytes: recordID)), \(time))
                """)
        case .advanceBatch(let key, let time):
            let changed = try session.execute("""
                UPDATE batches SET head_id = \(ByteBuffer(bytes: recordID)), head_time = \(time), event_count = event_count + 1 WHERE key = \(key)
                """)
            guard changed == 1 else { throw StoreError.unknownBatch(key) }
        case .pack(let child, let parent):
            if let existing = try session.rows("SELECT parent FROM packing WHERE child = \(child)").first?.decode(String.self) {
                throw StoreError.alreadyPacked(child: child, into: existing)
            }
            try session.execute("INSERT INTO packing (child, parent, record_seq) VALUES (\(child), \(parent), \(sequence))")
        case .addPartyKey(let id, let keyID):
            try session.execute("INSERT INTO party_keys (key_id, party_id) VALUES (\(keyID), \(id))")
        case .notice(let type, let batchKey, let owner):
            try session.execute("""
                INSERT INTO notices (record_seq, type, batch_key, owner) VALUES (\(sequence), \(type), \(batchKey), \(owner))
                """)
        case .assignAlias(let code, let batchKey, let serial):
            if let existing = try session.rows("SELECT batch_key FROM trace_aliases WHERE code = \(code)").first?.decode(String.self) {
                throw StoreError.duplicateAlias(code: code, batch: existing)
            }
            try session.execute("""
                INSERT INTO trace_aliases (code, batch_key, serial, record_seq) VALUES (\(code), \(batchKey), \(serial), \(sequence))
                """)
        }
    }

    public func issueUnits(batchKey: String, expectedHead: [UInt8]?, produce: () throws -> [StoredUnit],
                           record: () throws -> NewRecord) throws -> (record: StoredRecord, units: Int) {
        try appendTransaction { session in
            var total = 0
            while true {
                let rows = try produce()
                if rows.isEmpty { break }
                try Self.insertUnits(rows, in: session)
                try Self.insertPins(rows.filter { $0.pinHash != nil }, in: session)
                total += rows.count
            }
            let stored = try append(try record(), expectedHead: expectedHead, in: session, tail: LedgerTail(session))
            try session.execute("UPDATE batches SET unit_count = unit_count + \(Int64(total)) WHERE key = \(batchKey)")
            return (stored, total)
        }
    }

    /// One statement per window of units, arrays unnested into rows server-side:
    /// memory stays at one window however many units an issuance has. Conflicts are
    /// skipped and reported instead of failing the statement, so the error names the
    /// first unit that was already issued.
    ///
    /// Not COPY, though it would be faster: postgres-nio 1.33.2 stops the process
    /// (preconditionFailure "Copy mode is only supported for extended queries") when
    /// a COPY's connection is lost before the copy is done or failed, and a lost
    /// connection must leave nothing behind, not crash the server.
    static func insertUnits(_ units: [StoredUnit], in session: Session) throws {
        let inserted = try session.rows("""
            INSERT INTO units (gtin, lot, serial, key_id, signature, issued_at)
            SELECT * FROM unnest(\(units.map(\.gtin)), \(units.map(\.lot)), \(units.map(\.serial)), \(units.map(\.keyID)),
                                 \(units.map { ByteBuffer(bytes: $0.signature) }), \(units.map(\.issuedAt)))
            ON CONFLICT (gtin, lot, serial) DO NOTHING
            RETURNING gtin, lot, serial
            """)
        guard inserted.count < units.count else { return }
        var stored = [String: Int]()
        for row in inserted {
            let (gtin, lot, serial) = try row.decode((String, String, String).self)
            stored[BatchKey(gtin: gtin, lot: lot).unit(serial).description, default: 0] += 1
        }
        for unit in units {
            let code = BatchKey(gtin: unit.gtin, lot: unit.lot).unit(unit.serial).description
            guard let count = stored[code], count > 0 else { throw StoreError.duplicateUnit(code) }
            stored[code] = count - 1
        }
    }

    /// The hidden PINs drawn with these units (`StoredUnit.pinHash`), in the issuance's transaction.
    static func insertPins(_ units: [StoredUnit], in session: Session) throws {
        guard !units.isEmpty else { return }
        try session.execute("""
            INSERT INTO unit_pins (gtin, lot, serial, hash, created_at)
            SELECT * FROM unnest(\(units.map(\.gtin)), \(units.map(\.lot)), \(units.map(\.serial)),
                                 \(units.map { ByteBuffer(bytes: $0.pinHash ?? []) }), \(units.map(\.issuedAt)))
            """)
    }

    // MARK: Reads

    static let recordColumns = "records.seq, records.id, records.kind, records.batch_key, records.signer_key, records.envelope, records.recorded_at"

    func records(_ query: PostgresQuery) throws(StoreError) -> [StoredRecord] {
        try read { session in try session.rows(query).map(Self.record(row:)) }
    }

    static func record(row: PostgresRow) throws -> StoredRecord {
        let (sequence, id, kind, batchKey, signer, envelope, recordedAt) =
            try row.decode((Int64, Data, String, String?, String, Data, Int64).self)
        return StoredRecord(sequence: sequence, id: Array(id), kind: RecordKind(rawValue: kind) ?? .event, batchKey: batchKey,
                            signerKeyID: signer, envelope: Array(envelope), recordedAt: recordedAt)
    }

    public func record(id: [UInt8]) throws(StoreError) -> StoredRecord? {
        try records("SELECT \(unescaped: Self.recordColumns) FROM records WHERE id = \(ByteBuffer(bytes: id))").first
    }

    public func records(batchKey: String) throws(StoreError) -> [StoredRecord] {
        try records("SELECT \(unescaped: Self.recordColumns) FROM records WHERE batch_key = \(batchKey) ORDER BY seq")
    }

    public func records(batchKey: String, after sequence: Int64) throws(StoreError) -> [StoredRecord] {
        try records("""
            SELECT \(unescaped: Self.recordColumns) FROM records WHERE batch_key = \(batchKey) AND seq > \(sequence) ORDER BY seq
            """)
    }

    public func records(kind: RecordKind) throws(StoreError) -> [StoredRecord] {
        try records("SELECT \(unescaped: Self.recordColumns) FROM records WHERE kind = \(kind.rawValue) ORDER BY seq")
    }

    public func recordCount() throws(StoreError) -> Int64 {
        // Positions are contiguous from 0: the last one plus one is an index lookup.
        try read { session in try Self.size(session) }
    }

    static func size(_ session: Session) throws -> Int64 {
        try session.rows("SELECT COALESCE(MAX(seq), -1) + 1 FROM records").first?.decode(Int64.self) ?? 0
    }

    public func partyRecord(forKey keyID: String) throws(StoreError) -> StoredRecord? {
        try records("""
            SELECT \(unescaped: Self.recordColumns) FROM party_keys JOIN parties ON parties.id = party_keys.party_id
            JOIN records ON records.seq = parties.record_seq WHERE party_keys.key_id = \(keyID)
            """).first
    }

    public func partyRecord(id: String) throws(StoreError) -> StoredRecord? {
        try records("""
            SELECT \(unescaped: Self.recordColumns) FROM parties JOIN records ON records.seq = parties.record_seq WHERE parties.id = \(id)
            """).first
    }

    public func productRecord(gtin: String) throws(StoreError) -> StoredRecord? {
        try records("""
            SELECT \(unescaped: Self.recordColumns) FROM products JOIN records ON records.seq = products.record_seq
            WHERE products.gtin = \(gtin)
            """).first
    }

    static let batchColumns = "key, gtin, lot, owner, head_id, head_time, event_count, unit_count"

    static func batch(row: PostgresRow) throws -> BatchState {
        let (key, gtin, lot, owner, head, time, events, units) =
            try row.decode((String, String, String, String, Data, String, Int64, Int64).self)
        return BatchState(key: key, gtin: gtin, lot: lot, owner: owner, headID: Array(head), headTime: time,
                          eventCount: Int(events), unitCount: Int(units))
    }

    public func batch(key: String) throws(StoreError) -> BatchState? {
        try read { session in
            try session.rows("SELECT \(unescaped: Self.batchColumns) FROM batches WHERE key = \(key)").first.map(Self.batch(row:))
        }
    }

    public func batches(owner: String) throws(StoreError) -> [BatchState] {
        try read { session in
            try session.rows("SELECT \(unescaped: Self.batchColumns) FROM batches WHERE owner = \(owner) ORDER BY key").map(Self.batch(row:))
        }
    }

    public func registryVersion() throws(StoreError) -> Int64 {
        try read { session in
            try session.rows("SELECT COALESCE(MAX(seq), -1) FROM records WHERE kind IN ('party', 'key')").first?.decode(Int64.self) ?? -1
        }
    }

    public func notices(type: String) throws(StoreError) -> [StoredRecord] {
        try records("""
            SELECT \(unescaped: Self.recordColumns) FROM notices JOIN records ON records.seq = notices.record_seq
            WHERE notices.type = \(type) ORDER BY notices.record_seq
            """)
    }

    // MARK: Units

    static let unitColumns = "gtin, lot, serial, key_id, signature, issued_at"

    static func unit(row: PostgresRow) throws -> StoredUnit {
        let (gtin, lot, serial, keyID, signature, issuedAt) = try row.decode((String, String, String, String, Data, Int64).self)
        return StoredUnit(gtin: gtin, lot: lot, serial: serial, keyID: keyID, signature: Array(signature), issuedAt: issuedAt)
    }

    func units(_ query: PostgresQuery) throws(StoreError) -> [StoredUnit] {
        try read { session in try session.rows(query).map(Self.unit(row:)) }
    }

    public func unit(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredUnit? {
        try units("SELECT \(unescaped: Self.unitColumns) FROM units WHERE gtin = \(gtin) AND lot = \(lot) AND serial = \(serial)").first
    }

    /// The unit, its batch and its container, each found whether or not the others
    /// are (as SQLite's three reads do), in one statement.
    public func lookupUnit(gtin: String, lot: String, serial: String) throws(StoreError) -> UnitLookup {
        let batchKey = BatchKey(gtin: gtin, lot: lot)
        return try read { session in
            let row = try session.rows("""
                SELECT u.key_id, u.signature, u.issued_at, \(unescaped: Self.batchColumns.split(separator: ",").map { "b." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")), p.parent
                FROM (SELECT 1) AS one
                LEFT JOIN units u ON u.gtin = \(gtin) AND u.lot = \(lot) AND u.serial = \(serial)
                LEFT JOIN batches b ON b.key = \(batchKey.description)
                LEFT JOIN packing p ON p.child = \(batchKey.unit(serial).description)
                """)[0]
            let (keyID, signature, issuedAt, key, batchGTIN, batchLot, owner, head, headTime, events, units, container) =
                try row.decode((String?, Data?, Int64?, String?, String?, String?, String?, Data?, String?, Int64?, Int64?, String?).self)
            let unit = keyID.map { StoredUnit(gtin: gtin, lot: lot, serial: serial, keyID: $0, signature: Array(signature ?? Data()),
                                              issuedAt: issuedAt ?? 0) }
            let batch = key.map { BatchState(key: $0, gtin: batchGTIN ?? gtin, lot: batchLot ?? lot, owner: owner ?? "",
                                             headID: Array(head ?? Data()), headTime: headTime ?? "", eventCount: Int(events ?? 0),
                                             unitCount: Int(units ?? 0)) }
            return UnitLookup(unit: unit, batch: batch, container: container)
        }
    }

    public func serials(gtin: String, lot: String) throws(StoreError) -> [String] {
        try read { session in
            try session.rows("SELECT serial FROM units WHERE gtin = \(gtin) AND lot = \(lot) ORDER BY serial").map { try $0.decode(String.self) }
        }
    }

    public func units(gtin: String, lot: String, after serial: String?, limit: Int) throws(StoreError) -> [StoredUnit] {
        try units("""
            SELECT \(unescaped: Self.unitColumns) FROM units WHERE gtin = \(gtin) AND lot = \(lot) AND serial > \(serial ?? "")
            ORDER BY serial LIMIT \(Int64(limit))
            """)
    }

    public func units(serial: String) throws(StoreError) -> [StoredUnit] {
        try units("SELECT \(unescaped: Self.unitColumns) FROM units WHERE serial = \(serial)")
    }

    public func container(of child: String) throws(StoreError) -> String? {
        try read { session in try session.rows("SELECT parent FROM packing WHERE child = \(child)").first?.decode(String.self) }
    }

    public func contents(of parent: String) throws(StoreError) -> [String] {
        try read { session in
            try session.rows("SELECT child FROM packing WHERE parent = \(parent) ORDER BY child").map { try $0.decode(String.self) }
        }
    }

    public func containers(gtin: String, lot: String) throws(StoreError) -> [String: String] {
        // Packing keys of this batch's units: `GTIN/LOT/` then the serial, one key range.
        let prefix = BatchKey(gtin: gtin, lot: lot).description + "/"
        var containers: [String: String] = [:]
        try forEachRow("SELECT child, parent FROM packing WHERE child >= \(prefix) AND child < \(BatchKey(gtin: gtin, lot: lot).description + "0")") { row in
            let (child, parent) = try row.decode((String, String).self)
            containers[String(child.dropFirst(prefix.count))] = parent
        }
        return containers
    }

    public func forEachIssuedUnit(gtin: String, lot: String, _ body: (IssuedUnitRow) -> Void) throws(StoreError) {
        try forEachRow("""
            SELECT u.serial, u.key_id, u.signature, u.issued_at, s.count IS NOT NULL
            FROM units u LEFT JOIN scans s ON s.gtin = u.gtin AND s.lot = u.lot AND s.serial = u.serial
            WHERE u.gtin = \(gtin) AND u.lot = \(lot) ORDER BY u.serial
            """) { row in
            let (serial, keyID, signature, issuedAt, hasScans) = try row.decode((String, String, ByteBuffer, Int64, Bool).self)
            body(IssuedUnitRow(serial: serial, keyID: keyID, signature: Array(signature.readableBytesView), issuedAt: issuedAt,
                               hasScans: hasScans))
        }
    }

    /// Reads `query`'s rows in pages through a cursor in one read-only transaction:
    /// one snapshot, and flat memory however many rows (a batch may hold millions).
    func forEachRow(_ query: PostgresQuery, pageSize: Int = 10_000, _ body: (PostgresRow) throws -> Void) throws(StoreError) {
        try read { session in
            try session.execute("BEGIN READ ONLY")
            do {
                var declare = query
                declare.sql = "DECLARE yima_rows NO SCROLL CURSOR FOR " + query.sql
                try session.execute(declare)
                while true {
                    let page = try session.rows("FETCH \(unescaped: String(pageSize)) FROM yima_rows")
                    for row in page { try body(row) }
                    if page.count < pageSize { break }
                }
                try session.execute("COMMIT")
            } catch {
                if (try? session.execute("ROLLBACK")) == nil { try? BlockingConnections.block(session.connection.close()) }
                throw error
            }
        }
    }

    // MARK: Plumbing

    /// `body` in one write transaction holding the append lock. Store refusals and
    /// errors thrown by `body` itself (a caller's producer) pass through unchanged;
    /// PostgreSQL's become `StoreError`.
    func appendTransaction<T>(_ body: (Session) throws -> T) throws -> T {
        do {
            return try connections.with { session in
                try session.transaction {
                    try session.execute("SELECT pg_advisory_xact_lock(\(Self.appendLock))")
                    return try body(session)
                }
            }
        } catch let error where PostgresFailure.isPostgres(error) {
            throw PostgresFailure.storeError(error, url: url)
        }
    }

    func write<T>(_ body: (Session) throws -> T) throws(StoreError) -> T {
        do {
            return try appendTransaction(body)
        } catch {
            throw PostgresFailure.storeError(error, url: url)
        }
    }

    /// One statement's worth of reading (or `body`'s own transaction) on a pooled connection.
    func read<T>(_ body: (Session) throws -> T) throws(StoreError) -> T {
        do {
            return try connections.with(body)
        } catch {
            throw PostgresFailure.storeError(error, url: url)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
