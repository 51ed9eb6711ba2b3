import Foundation
import Testing
import YimaStore
import YimaTestSupport

/// Each engine's `recordScans` (the batch writer) against a real database: the
/// stored counts after flushes with repeated units and clients, clients stored by
/// an earlier flush, times out of order, and all-or-nothing flushes. The tables are
/// read back with the engine's own client and compared with SQLite's per-scan
/// reference writer.
@Suite struct ScanWriteTests {
    static let gtin = "02961012400074"
    static let lot = "2026-KIWI-07"

    /// A 16-byte client hash, distinct per `tag`.
    static func client(_ tag: UInt8) -> [UInt8] { [UInt8](repeating: tag, count: 15) + [0xC1] }

    static func scan(_ serial: String, _ client: UInt8, at time: Int64, lot: String = lot) -> ScanObservation {
        ScanObservation(gtin: gtin, lot: lot, serial: serial, client: Self.client(client), time: time)
    }

    /// Both scan tables, in key order, as the sqlite3 CLI prints them.
    static func tables(_ database: EngineStore) throws -> String {
        let result = try database.sql("""
            SELECT * FROM scans ORDER BY gtin, lot, serial;
            SELECT gtin, lot, serial, \(database.hex("client")), first_at, count FROM scan_clients ORDER BY gtin, lot, serial, client;
            """)
        #expect(result.status == 0, "\(result.stderr)")
        return result.output
    }

    /// `scan_clients` rows of one unit: "HEX|first_at|count" in client order.
    static func clientRows(_ database: EngineStore, serial: String) throws -> [String] {
        let result = try database.sql("""
            SELECT \(database.hex("client")), first_at, count FROM scan_clients WHERE gtin = '\(gtin)' AND lot = '\(lot)' AND serial = '\(serial)' ORDER BY client;
            """)
        #expect(result.status == 0, "\(result.stderr)")
        return result.output.split(separator: "\n").map(String.init)
    }

    static func hex(_ tag: UInt8) -> String { client(tag).map { String(format: "%02X", $0) }.joined() }

    @Test(arguments: Engine.all) func repeatedUnitsAndClientsInOneFlush(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
        try store.recordScans([
            Self.scan("A1", 1, at: 100), Self.scan("B2", 1, at: 101), Self.scan("A1", 2, at: 102),
            Self.scan("A1", 1, at: 103), Self.scan("A1", 3, at: 104), Self.scan("A1", 2, at: 105), Self.scan("A1", 1, at: 106),
        ])
        let a = try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "A1", clientLimit: 10)
        #expect(a.count == 6)
        #expect(a.distinctClients == 3)
        #expect(a.firstScan == 100 && a.lastScan == 106)
        #expect(Set(a.clients) == [Self.client(1), Self.client(2), Self.client(3)])
        #expect(try Self.clientRows(database, serial: "A1") == ["\(Self.hex(1))|100|3", "\(Self.hex(2))|102|2", "\(Self.hex(3))|104|1"])
        let b = try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "B2", clientLimit: 10)
        #expect(b == ScanSummary(count: 1, distinctClients: 1, firstScan: 101, lastScan: 101, clients: [Self.client(1)]))
        #expect(try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "C3", clientLimit: 10) == ScanSummary())
    }

    @Test(arguments: Engine.all) func clientsStoredByAnEarlierFlushAreNotNew(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
        try store.recordScans([Self.scan("A1", 1, at: 100), Self.scan("A1", 2, at: 101), Self.scan("A1", 1, at: 102)])
        // A later flush (or a later run of the server, on a new store object): clients
        // 1 and 2 again, 4 new; a unit first scanned now beside it.
        let reopened = try database.reopen()
        try reopened.recordScans([Self.scan("A1", 2, at: 200), Self.scan("A1", 4, at: 201), Self.scan("D4", 2, at: 202),
                                  Self.scan("A1", 1, at: 203), Self.scan("A1", 4, at: 204)])
        let a = try reopened.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "A1", clientLimit: 0)
        #expect(a == ScanSummary(count: 7, distinctClients: 3, firstScan: 100, lastScan: 204))
        // first_at of a client stays that of its first flush.
        #expect(try Self.clientRows(database, serial: "A1") == ["\(Self.hex(1))|100|3", "\(Self.hex(2))|101|2", "\(Self.hex(4))|201|2"])
        #expect(try reopened.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "D4", clientLimit: 0)
            == ScanSummary(count: 1, distinctClients: 1, firstScan: 202, lastScan: 202))
    }

    @Test(arguments: Engine.all) func timesOutOfOrder(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
        // Requests finish out of order: the batch's first scan is neither the earliest nor the latest.
        try store.recordScans([Self.scan("A1", 1, at: 500), Self.scan("A1", 2, at: 300), Self.scan("A1", 1, at: 700),
                               Self.scan("A1", 1, at: 400), Self.scan("A1", 2, at: 650)])
        #expect(try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "A1", clientLimit: 0)
            == ScanSummary(count: 5, distinctClients: 2, firstScan: 300, lastScan: 700))
        // A client's first_at is its first scan in the order scans were counted, as before.
        #expect(try Self.clientRows(database, serial: "A1") == ["\(Self.hex(1))|500|3", "\(Self.hex(2))|300|2"])
        // A later flush with an earlier time moves first_at back; last_at stays.
        try store.recordScans([Self.scan("A1", 3, at: 250), Self.scan("A1", 3, at: 600)])
        #expect(try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "A1", clientLimit: 0)
            == ScanSummary(count: 7, distinctClients: 3, firstScan: 250, lastScan: 700))
    }

    @Test(arguments: Engine.all) func aFailingFlushLeavesTheStoreUnchanged(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let store = database.store
        try store.recordScans([Self.scan("A1", 1, at: 100), Self.scan("B2", 2, at: 101)])
        let before = try Self.tables(database)
        // The 15-byte client fails the CHECK on the last unit in key order ("Z9"), after
        // the writer has updated A1 and B2 and inserted C3.
        let bad = ScanObservation(gtin: Self.gtin, lot: Self.lot, serial: "Z9", client: [UInt8](repeating: 7, count: 15), time: 103)
        #expect(throws: StoreError.self) {
            try store.recordScans([Self.scan("A1", 3, at: 102), Self.scan("B2", 2, at: 102), Self.scan("C3", 1, at: 102), bad])
        }
        #expect(try Self.tables(database) == before)
        // The store still takes the good scans afterwards.
        try store.recordScans([Self.scan("A1", 3, at: 102)])
        #expect(try store.scanSummary(gtin: Self.gtin, lot: Self.lot, serial: "A1", clientLimit: 0).distinctClients == 2)
    }

    /// Random flushes through each engine's batch writer and SQLite's per-scan writer
    /// leave identical tables, including serials that Swift's `==` treats as equal but
    /// the databases store as two keys (é as one code point or as e + combining accent).
    @Test(arguments: Engine.all) func batchWriterEqualsThePerScanWriter(_ engine: Engine) throws {
        let batchDatabase = try EngineStore(engine), referenceDatabase = try EngineStore(.sqlite)
        let batchStore = batchDatabase.store
        let reference = try #require(referenceDatabase.store as? SQLiteStore)
        var random = SystemRandomNumberGenerator()
        let serials = ["A1", "A2", "B7", "caf\u{E9}", "cafe\u{301}", "Z"] + (0..<40).map { "S\($0)" }
        var time: Int64 = 1_000
        for _ in 0..<30 {
            let batch = (0..<Int.random(in: 1...120, using: &random)).map { _ in
                time += Int64.random(in: 0...2, using: &random)
                return Self.scan(serials.randomElement(using: &random)!, UInt8.random(in: 1...6, using: &random),
                                 at: time - Int64.random(in: 0...5, using: &random),
                                 lot: Bool.random(using: &random) ? Self.lot : "LOT-2")
            }
            try batchStore.recordScans(batch)
            try reference.recordScansOneByOne(batch)
        }
        let tables = try Self.tables(batchDatabase)
        #expect(tables.contains("cafe\u{301}|") && tables.contains("caf\u{E9}|"))
        #expect(tables == (try Self.tables(referenceDatabase)))
    }
}
