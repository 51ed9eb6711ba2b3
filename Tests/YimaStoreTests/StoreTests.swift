import Foundation
import Testing
import YimaStore
import YimaTestSupport

/// Every engine's store against a real database (an SQLite file, a PostgreSQL
/// database): append-only at the database level, atomic writes, chain heads that
/// cannot fork, and foreign keys. Records here are opaque to the store, so they are
/// synthetic bytes with the index entries a real party, product, batch and event
/// would bring.
@Suite struct StoreTests {
    static let gtin = "02961012400074"  // county-assigned code: 周至县 610124, item 0007
    static let lot = "2026-KIWI-07"
    static let batchKey = "\(gtin)/\(lot)"
    static let owner = "zhouzhi-kiwi-coop"

    /// A 32-byte record id, distinct per `tag`.
    static func id(_ tag: UInt8) -> [UInt8] { [UInt8](repeating: tag, count: 31) + [0xA5] }

    static func envelope(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A store holding a party, its product and a batch (record 2 heads the chain).
    struct Fixture {
        let engine: EngineStore
        var store: any TraceStore { engine.store }

        init(_ engine: Engine) throws {
            self.engine = try EngineStore(engine)
            _ = try store.append(NewRecord(id: StoreTests.id(1), kind: .party, signerKeyID: "a1b2c3d4e5f60718",
                                           envelope: StoreTests.envelope(#"{"party":"周至县猕猴桃专业合作社"}"#),
                                           effects: [.registerParty(id: StoreTests.owner, keyIDs: ["652c9efcee3b780d"])]),
                                 expectedHead: nil)
            _ = try store.append(NewRecord(id: StoreTests.id(2), kind: .product, signerKeyID: "652c9efcee3b780d",
                                           envelope: StoreTests.envelope(#"{"product":"周至猕猴桃"}"#),
                                           effects: [.defineProduct(gtin: StoreTests.gtin, owner: StoreTests.owner)]),
                                 expectedHead: nil)
            _ = try store.append(StoreTests.batchRecord(id: StoreTests.id(3), lot: StoreTests.lot), expectedHead: nil)
        }

        func head() throws -> [UInt8]? { try store.batch(key: StoreTests.batchKey)?.headID }

        /// Everything observable about the store's contents.
        func snapshot() throws -> Snapshot {
            Snapshot(count: try store.recordCount(), batch: try store.batch(key: StoreTests.batchKey),
                     events: try store.records(kind: .event))
        }
    }

    struct Snapshot: Equatable {
        let count: Int64
        let batch: BatchState?
        let events: [StoredRecord]
    }

    static func batchRecord(id: [UInt8], lot: String) -> NewRecord {
        NewRecord(id: id, kind: .batch, batchKey: "\(gtin)/\(lot)", signerKeyID: "652c9efcee3b780d",
                  envelope: envelope(#"{"batch":"\#(lot)","origin":"楼观镇周一村 3 号地块"}"#),
                  effects: [.createBatch(key: "\(gtin)/\(lot)", gtin: gtin, lot: lot, owner: owner, time: "")])
    }

    static func event(_ tag: UInt8, time: String = "2026-08-20T07:30:00+08:00", batchKey: String = batchKey,
                      extra: [RecordEffect] = []) -> NewRecord {
        NewRecord(id: id(tag), kind: .event, batchKey: batchKey, signerKeyID: "652c9efcee3b780d",
                  envelope: envelope(#"{"event":\#(tag),"type":"care"}"#),
                  effects: [.advanceBatch(key: batchKey, time: time)] + extra)
    }

    static func units(_ serials: [String]) -> [StoredUnit] {
        serials.map { StoredUnit(gtin: gtin, lot: lot, serial: $0, keyID: "652c9efcee3b780d",
                                 signature: [UInt8](repeating: 0x5A, count: 64), issuedAt: 1_790_000_000) }
    }

    // MARK: Append-only

    @Test(arguments: Engine.all) func databaseRefusesUpdateAndDeleteOfRecordsAndUnits(_ engine: Engine) throws {
        let f = try Fixture(engine)
        _ = try f.store.append(Self.event(4), expectedHead: Self.id(3))
        var windows = [Self.units(["K7Q2M9X4", "P3D8W6T1"])]
        _ = try f.store.issueUnits(Self.event(5), expectedHead: Self.id(4)) { windows.popLast() ?? [] }
        let e = f.engine
        let dump = "SELECT seq, \(e.hex("id")), kind, batch_key, signer_key, \(e.hex("envelope")), recorded_at FROM records ORDER BY seq;"
            + "SELECT gtin, lot, serial, key_id, \(e.hex("signature")), issued_at FROM units ORDER BY serial;"
            + "SELECT idx, \(e.hex("hash")) FROM ledger_hashes ORDER BY idx;"
        let before = try e.sql(dump)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.output.split(separator: "\n").count == 15)  // 5 records, 2 units, 8 stored hashes

        var attempts: [(String, String)] = [
            ("UPDATE records SET envelope = envelope WHERE seq = 3", "records are append-only"),
            ("UPDATE records SET kind = 'party' WHERE seq = 4", "records are append-only"),
            ("DELETE FROM records WHERE seq = 4", "records are append-only"),
            ("DELETE FROM records", "records are append-only"),
            ("UPDATE units SET key_id = 'ffffffffffffffff'", "unit codes are append-only"),
            ("UPDATE units SET serial = 'FORGED01' WHERE serial = 'K7Q2M9X4'", "unit codes are append-only"),
            ("DELETE FROM units WHERE serial = 'P3D8W6T1'", "unit codes are append-only"),
            ("DELETE FROM units", "unit codes are append-only"),
            ("UPDATE ledger_hashes SET hash = hash WHERE idx = 0", "the log is append-only"),
            ("DELETE FROM ledger_hashes WHERE idx = 7", "the log is append-only"),
        ]
        if engine == .postgres {
            attempts += [("TRUNCATE ledger_hashes", "the log is append-only"),
                         ("TRUNCATE units, unit_pins", "unit codes are append-only"),
                         ("TRUNCATE records, parties, party_keys, products, batches, units, unit_pins, packing, notices, trace_aliases",
                          "records are append-only"),
                         ("TRUNCATE trace_aliases", "trace aliases are append-only")]
        }
        for (sql, message) in attempts {
            let result = try e.sql(sql)
            #expect(result.status != 0, "\(sql) was accepted")
            #expect(result.stderr.contains(message), "\(sql): \(result.stderr)")
        }
        let after = try e.sql(dump)
        #expect(after.output == before.output)
        // And the store itself still reads the same rows.
        #expect(try f.store.recordCount() == 5)
        #expect(try f.store.record(id: Self.id(3))?.envelope == Self.batchRecord(id: Self.id(3), lot: Self.lot).envelope)
        #expect(try f.store.unit(gtin: Self.gtin, lot: Self.lot, serial: "K7Q2M9X4")?.keyID == "652c9efcee3b780d")
        #expect(try f.store.unit(gtin: Self.gtin, lot: Self.lot, serial: "P3D8W6T1") != nil)
    }

    // MARK: Refused writes store nothing

    @Test(arguments: Engine.all) func duplicateRecordIdIsAReplay(_ engine: Engine) throws {
        let f = try Fixture(engine)
        _ = try f.store.append(Self.event(4), expectedHead: Self.id(3))
        let before = try f.snapshot()
        // Same id again, even with the right head and different bytes.
        var replay = Self.event(4)
        replay.envelope = Self.envelope(#"{"event":"replayed"}"#)
        #expect(throws: StoreError.duplicateRecord(id: String(repeating: "04", count: 31) + "a5")) {
            try f.store.append(replay, expectedHead: Self.id(4))
        }
        #expect(throws: StoreError.duplicateRecord(id: String(repeating: "01", count: 31) + "a5")) {
            try f.store.append(NewRecord(id: Self.id(1), kind: .party, signerKeyID: "a1b2c3d4e5f60718",
                                         envelope: Self.envelope("{}"), effects: []), expectedHead: nil)
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.record(id: Self.id(4))?.envelope == Self.event(4).envelope)
    }

    @Test(arguments: Engine.all) func eventWithStaleHeadIsRefused(_ engine: Engine) throws {
        let f = try Fixture(engine)
        _ = try f.store.append(Self.event(4), expectedHead: Self.id(3))
        let before = try f.snapshot()
        // A second writer that read the head before event 4 cannot fork the chain.
        #expect(throws: StoreError.staleHead(batch: Self.batchKey)) {
            try f.store.append(Self.event(5, time: "2026-08-21T07:30:00+08:00"), expectedHead: Self.id(3))
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.record(id: Self.id(5)) == nil)
        #expect(try f.head() == Self.id(4) && before.batch?.eventCount == 1)
    }

    @Test(arguments: Engine.all) func eventOfAnUnknownBatchIsRefused(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let before = try f.snapshot()
        let elsewhere = "\(Self.gtin)/2026-KIWI-99"
        #expect(throws: StoreError.unknownBatch(elsewhere)) {
            try f.store.append(Self.event(4, batchKey: elsewhere), expectedHead: Self.id(3))
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.records(batchKey: elsewhere).isEmpty)
    }

    @Test(arguments: Engine.all) func duplicateBatchIsRefused(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let before = try f.snapshot()
        #expect(throws: StoreError.duplicateBatch(Self.batchKey)) {
            try f.store.append(Self.batchRecord(id: Self.id(9), lot: Self.lot), expectedHead: nil)
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.record(id: Self.id(9)) == nil)
        // Another lot of the same product is fine.
        _ = try f.store.append(Self.batchRecord(id: Self.id(9), lot: "2026-KIWI-08"), expectedHead: nil)
        #expect(try f.store.batch(key: "\(Self.gtin)/2026-KIWI-08")?.headID == Self.id(9))
    }

    @Test(arguments: Engine.all) func packingTheSameUnitTwiceIsRefused(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let unit = "\(Self.batchKey)/K7Q2M9X4"
        _ = try f.store.append(Self.event(4, extra: [.pack(child: unit, parent: "069012340000000016")]), expectedHead: Self.id(3))
        #expect(try f.store.container(of: unit) == "069012340000000016")
        let before = try f.snapshot()
        #expect(throws: StoreError.alreadyPacked(child: unit, into: "069012340000000016")) {
            try f.store.append(Self.event(5, time: "2026-09-01T10:00:00+08:00",
                                          extra: [.pack(child: "\(Self.batchKey)/P3D8W6T1", parent: "069012340000000023"),
                                                  .pack(child: unit, parent: "069012340000000023")]),
                               expectedHead: Self.id(4))
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.container(of: unit) == "069012340000000016")
        // The first child of the refused record was rolled back with it.
        #expect(try f.store.container(of: "\(Self.batchKey)/P3D8W6T1") == nil)
    }

    @Test(arguments: Engine.all) func appendAllStoresAllOrNone(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let before = try f.snapshot()
        // Record 6 names a stale head: 4 and 5 must not be stored either.
        #expect(throws: StoreError.staleHead(batch: Self.batchKey)) {
            try f.store.appendAll([(Self.event(4), Self.id(3)), (Self.event(5), Self.id(4)), (Self.event(6), Self.id(4))])
        }
        #expect(try f.snapshot() == before)
        // A duplicate id at the end undoes the rest too.
        #expect(throws: StoreError.duplicateRecord(id: String(repeating: "02", count: 31) + "a5")) {
            try f.store.appendAll([(Self.event(4), Self.id(3)),
                                   (NewRecord(id: Self.id(2), kind: .product, signerKeyID: "652c9efcee3b780d", envelope: [0x7B, 0x7D]), nil)])
        }
        #expect(try f.snapshot() == before)
        for tag: UInt8 in [4, 5, 6] { #expect(try f.store.record(id: Self.id(tag)) == nil) }

        // The good neighbour: a chain of three in one call, in order.
        let stored = try f.store.appendAll([(Self.event(4), Self.id(3)), (Self.event(5), Self.id(4)), (Self.event(6), Self.id(5))])
        #expect(stored.map(\.sequence) == [3, 4, 5])
        #expect(try f.head() == Self.id(6) && f.store.batch(key: Self.batchKey)?.eventCount == 3)
    }

    /// PIN hashes travel with their units into the issuance's transaction: stored
    /// when it commits, and not at all when it fails.
    @Test(arguments: Engine.all) func issuedUnitsCarryTheirPinHashesInTheSameTransaction(_ engine: Engine) throws {
        let f = try Fixture(engine)
        func withPins(_ serials: [String]) -> [StoredUnit] {
            Self.units(serials).map { unit in
                var withPin = unit
                withPin.pinHash = Array(unit.serial.utf8) + [UInt8](repeating: 7, count: 24)
                return withPin
            }
        }
        var calls = 0
        #expect(throws: ProducerFailed()) {
            try f.store.issueUnits(Self.event(4), expectedHead: Self.id(3)) {
                calls += 1
                if calls == 2 { throw ProducerFailed() }
                return withPins(["A1B2C3D4"])
            }
        }
        #expect(try f.store.pin(gtin: Self.gtin, lot: Self.lot, serial: "A1B2C3D4") == nil)
        var windows = [withPins(["K7Q2M9X4"]) + Self.units(["P3D8W6T1"])]
        _ = try f.store.issueUnits(Self.event(4), expectedHead: Self.id(3)) { windows.popLast() ?? [] }
        let pin = try #require(try f.store.pin(gtin: Self.gtin, lot: Self.lot, serial: "K7Q2M9X4"))
        #expect(pin.hash == Array("K7Q2M9X4".utf8) + [UInt8](repeating: 7, count: 24) && pin.createdAt == 1_790_000_000)
        #expect(try f.store.pin(gtin: Self.gtin, lot: Self.lot, serial: "P3D8W6T1") == nil)
    }

    struct ProducerFailed: Error, Equatable {}

    /// Counts what the issuance callbacks saw (a class: both callbacks share it).
    final class Calls { var windows = 0; var windowsBeforeRecord = -1 }

    /// The event is asked for once every unit is in, so that it can commit to them
    /// (docs/issuance-commitment.md); an event that cannot be made stores nothing.
    @Test(arguments: Engine.all) func theIssuanceEventIsMadeAfterItsUnits(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let before = try f.snapshot()
        let failing = Calls()
        #expect(throws: ProducerFailed()) {
            try f.store.issueUnits(batchKey: Self.batchKey, expectedHead: Self.id(3), produce: {
                failing.windows += 1
                return failing.windows == 1 ? Self.units(["A1B2C3D4"]) : []
            }, record: { throw ProducerFailed() })
        }
        #expect(try f.snapshot() == before)
        #expect(try f.engine.sql("SELECT count(*) FROM units").output == "0\n")

        let calls = Calls()
        let result = try f.store.issueUnits(batchKey: Self.batchKey, expectedHead: Self.id(3), produce: {
            calls.windows += 1
            return calls.windows == 1 ? Self.units(["A1B2C3D4", "E5F6G7H8"]) : calls.windows == 2 ? Self.units(["J9K8L7M6"]) : []
        }, record: {
            calls.windowsBeforeRecord = calls.windows
            return Self.event(4)
        })
        #expect(calls.windowsBeforeRecord == 3 && result.units == 3 && result.record.id == Self.id(4))
        #expect(try f.store.batch(key: Self.batchKey)?.headID == Self.id(4))
        // A stale head, known only when the event is appended after the units: nothing stored.
        let stale = try f.snapshot()
        #expect(throws: StoreError.self) {
            try f.store.issueUnits(batchKey: Self.batchKey, expectedHead: Self.id(3), produce: { [] }, record: { Self.event(5) })
        }
        #expect(try f.snapshot() == stale)
    }

    @Test(arguments: Engine.all) func issueUnitsWhoseProducerThrowsStoresNothing(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let before = try f.snapshot()
        var calls = 0
        #expect(throws: ProducerFailed()) {
            try f.store.issueUnits(Self.event(4), expectedHead: Self.id(3)) {
                calls += 1
                if calls == 3 { throw ProducerFailed() }
                return Self.units(calls == 1 ? ["A1B2C3D4", "E5F6G7H8"] : ["J9K8L7M6"])
            }
        }
        #expect(calls == 3)
        #expect(try f.snapshot() == before)
        #expect(try f.store.batch(key: Self.batchKey)?.unitCount == 0)
        #expect(try f.store.record(id: Self.id(4)) == nil)
        for serial in ["A1B2C3D4", "E5F6G7H8", "J9K8L7M6"] {
            #expect(try f.store.unit(gtin: Self.gtin, lot: Self.lot, serial: serial) == nil)
        }
        #expect(try f.engine.sql("SELECT count(*) FROM units").output == "0\n")

        // A serial repeated inside one issuance: refused, nothing stored.
        #expect(throws: StoreError.duplicateUnit("\(Self.batchKey)/A1B2C3D4")) {
            var calls = 0
            return try f.store.issueUnits(Self.event(4), expectedHead: Self.id(3)) {
                calls += 1
                return calls == 1 ? Self.units(["A1B2C3D4"]) : calls == 2 ? Self.units(["A1B2C3D4"]) : []
            }
        }
        #expect(try f.snapshot() == before)

        // The good neighbour: all windows stored with the event.
        calls = 0
        let result = try f.store.issueUnits(Self.event(4), expectedHead: Self.id(3)) {
            calls += 1
            return calls == 1 ? Self.units(["A1B2C3D4", "E5F6G7H8"]) : calls == 2 ? Self.units(["J9K8L7M6"]) : []
        }
        #expect(result.units == 3 && result.record.id == Self.id(4))
        let batch = try #require(try f.store.batch(key: Self.batchKey))
        #expect(batch.unitCount == 3 && batch.eventCount == 1 && batch.headID == Self.id(4))
        #expect(try f.engine.sql("SELECT count(*) FROM units").output == "3\n")
    }

    /// Many windows in one transaction, and text a bulk path could mangle: a lot with
    /// a tab, a backslash and a comma, serials with line ends and a backslash.
    @Test(arguments: Engine.all) func issueUnitsStreamsManyWindowsExactly(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let lot = "L\t7\\B, 2"
        let key = "\(Self.gtin)/\(lot)"
        _ = try f.store.append(Self.batchRecord(id: Self.id(9), lot: lot), expectedHead: nil)
        var window = 0
        let result = try f.store.issueUnits(Self.event(10, batchKey: key), expectedHead: Self.id(9)) {
            window += 1
            guard window <= 20 else { return [] }
            return (0..<500).map { index in
                let serial = index == 0 ? "W\(window)\n\r\\x" : String(format: "W%02d-%04d", window, index)
                return StoredUnit(gtin: Self.gtin, lot: lot, serial: serial, keyID: "652c9efcee3b780d",
                                  signature: (0..<64).map { UInt8(($0 + index) % 256) }, issuedAt: 1_790_000_000 + Int64(window))
            }
        }
        #expect(result.units == 10_000)
        #expect(try f.store.batch(key: key)?.unitCount == 10_000)
        #expect(try f.store.serials(gtin: Self.gtin, lot: lot).count == 10_000)
        let odd = try #require(try f.store.unit(gtin: Self.gtin, lot: lot, serial: "W7\n\r\\x"))
        #expect(odd.signature == (0..<64).map { UInt8($0) } && odd.issuedAt == 1_790_000_007)
        let plain = try #require(try f.store.unit(gtin: Self.gtin, lot: lot, serial: "W20-0499"))
        #expect(plain.signature == (0..<64).map { UInt8(($0 + 499) % 256) } && plain.keyID == "652c9efcee3b780d")
    }

    // MARK: Configuration

    @Test(arguments: Engine.all) func foreignKeysAreEnforced(_ engine: Engine) throws {
        let f = try Fixture(engine)
        // The store's own connections enforce them: a product of an unregistered owner
        // and a batch of an undefined product are refused, and nothing is stored.
        let before = try f.snapshot()
        #expect(throws: StoreError.database("FOREIGN KEY constraint failed")) {
            try f.store.append(NewRecord(id: Self.id(7), kind: .product, signerKeyID: "652c9efcee3b780d", envelope: [0x7B, 0x7D],
                                         effects: [.defineProduct(gtin: "06901234567892", owner: "nobody")]), expectedHead: nil)
        }
        #expect(throws: StoreError.database("FOREIGN KEY constraint failed")) {
            try f.store.append(NewRecord(id: Self.id(8), kind: .batch, batchKey: "06901234567892/L1", signerKeyID: "652c9efcee3b780d",
                                         envelope: [0x7B, 0x7D],
                                         effects: [.createBatch(key: "06901234567892/L1", gtin: "06901234567892", lot: "L1",
                                                                owner: Self.owner, time: "")]), expectedHead: nil)
        }
        #expect(try f.snapshot() == before)
        #expect(try f.store.treeSize() == 3)
    }

    @Test func sqliteUsesWALAndDeclaresItsReferences() throws {
        let f = try Fixture(.sqlite)
        let database = f.engine.location + "/" + SQLiteStore.fileName
        #expect(try f.engine.sql("PRAGMA journal_mode").output == "wal\n")
        #expect(FileManager.default.fileExists(atPath: database + "-wal"))
        // The schema declares its references and the data honours them.
        #expect(try f.engine.sql("PRAGMA foreign_key_list(units)").output.contains("batches"))
        #expect(try f.engine.sql("PRAGMA foreign_key_check").output == "")
    }

    @Test(arguments: Engine.all) func migrationsAreRecordedAndNotReplayed(_ engine: Engine) throws {
        let f = try Fixture(engine)
        let table = engine == .sqlite ? "grdb_migrations" : "yima_migrations"
        let applied = try f.engine.sql(engine == .sqlite ? "SELECT identifier FROM grdb_migrations ORDER BY identifier"
                                                          : "SELECT version || ': ' || name FROM yima_migrations ORDER BY version")
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.output.hasPrefix(engine == .sqlite ? "v1: records, registry, batches, units\nv2: transparency log\n"
                                                            : "1: records, registry, batches, units, log, scans, PINs, notices\n"))
        let count = applied.output.split(separator: "\n").count
        // Reopening keeps the data and applies nothing twice.
        let reopened = try f.engine.reopen()
        #expect(try reopened.recordCount() == 3)
        #expect(try reopened.batch(key: Self.batchKey)?.headID == Self.id(3))
        #expect(try f.engine.sql("SELECT count(*) FROM \(table)").output == "\(count)\n")
    }
}
