import Foundation
import Testing
import YimaStore
import YimaTestSupport

/// The same writes into SQLite and into another engine give the same answers to
/// every read of every store protocol: records and registry, units and packing,
/// scans, PINs, and the regulator's aggregates.
@Suite struct EngineAgreementTests {
    typealias T = StoreTests

    /// Parties, a product, two batches with events, packing, a recall notice, a key
    /// record, units, scans from several clients over several days, PINs.
    static func populate(_ store: any TraceStore) throws {
        let f = T.self
        _ = try store.append(NewRecord(id: f.id(1), kind: .party, signerKeyID: "a1b2c3d4e5f60718", envelope: Array("p".utf8),
                                       effects: [.registerParty(id: f.owner, keyIDs: ["652c9efcee3b780d"])]), expectedHead: nil)
        _ = try store.append(NewRecord(id: f.id(2), kind: .product, signerKeyID: "652c9efcee3b780d", envelope: Array("q".utf8),
                                       effects: [.defineProduct(gtin: f.gtin, owner: f.owner)]), expectedHead: nil)
        _ = try store.append(f.batchRecord(id: f.id(3), lot: f.lot), expectedHead: nil)
        _ = try store.append(f.batchRecord(id: f.id(4), lot: "2026-KIWI-08"), expectedHead: nil)
        var serials = ["K7Q2M9X4", "P3D8W6T1", "A0000001", "Z9"]
        _ = try store.issueUnits(f.event(5), expectedHead: f.id(3)) {
            defer { serials = [] }
            return f.units(serials)
        }
        _ = try store.appendAll([
            (f.event(6, extra: [.pack(child: "\(f.batchKey)/K7Q2M9X4", parent: "069012340000000016"),
                                .pack(child: "\(f.batchKey)/P3D8W6T1", parent: "069012340000000016")]), f.id(5)),
            (f.event(7, extra: [.notice(type: "recall", batchKey: f.batchKey, owner: f.owner)]), f.id(6)),
            (NewRecord(id: f.id(8), kind: .key, signerKeyID: "652c9efcee3b780d", envelope: Array("k".utf8),
                       effects: [.addPartyKey(id: f.owner, keyID: "0f1e2d3c4b5a6978")]), nil),
        ])
        let day: Int64 = 1_790_000_000
        try store.recordScans((0..<40).map { index in
            ScanObservation(gtin: f.gtin, lot: f.lot, serial: ["K7Q2M9X4", "P3D8W6T1", "Z9"][index % 3],
                            client: [UInt8](repeating: UInt8(index % 7), count: 16), time: day + Int64(index) * 20_000)
        })
        try store.storePins([StoredPin(gtin: f.gtin, lot: f.lot, serial: "K7Q2M9X4", hash: [UInt8](repeating: 1, count: 32), createdAt: day),
                             StoredPin(gtin: f.gtin, lot: f.lot, serial: "A0000001", hash: [UInt8](repeating: 2, count: 32), createdAt: day)])
        _ = try store.markPinVerified(gtin: f.gtin, lot: f.lot, serial: "K7Q2M9X4", at: day + 500)
        _ = try store.markPinVerified(gtin: f.gtin, lot: f.lot, serial: "K7Q2M9X4", at: day + 900)
    }

    struct Answers: Equatable {
        var records: [[StoredRecord]] = []
        var single: [StoredRecord?] = []
        var batches: [BatchState?] = []
        var counts: [Int64] = []
        var units: [[StoredUnit]] = []
        var lookups: [String] = []
        var strings: [[String]] = []
        var containers: [[String: String]] = []
        var scans: [ScanSummary] = []
        var pins: [StoredPin?] = []
        var activity: [BatchActivity] = []
        var daily: [DailyScans] = []
    }

    /// Every read, with `recordedAt` (the store's clock) left out of records.
    static func answers(_ store: any TraceStore) throws -> Answers {
        let f = T.self
        func clean(_ record: StoredRecord?) -> StoredRecord? {
            record.map { StoredRecord(sequence: $0.sequence, id: $0.id, kind: $0.kind, batchKey: $0.batchKey,
                                      signerKeyID: $0.signerKeyID, envelope: $0.envelope, recordedAt: 0) }
        }
        var a = Answers()
        a.records = try [store.records(batchKey: f.batchKey), store.records(batchKey: f.batchKey, after: 5),
                         store.records(kind: .event), store.records(kind: .key), store.notices(type: "recall")]
            .map { $0.compactMap(clean) }
        a.single = try [store.record(id: f.id(6)), store.record(id: f.id(99)), store.partyRecord(forKey: "0f1e2d3c4b5a6978"),
                        store.partyRecord(id: f.owner), store.productRecord(gtin: f.gtin)].map(clean)
        a.batches = try [store.batch(key: f.batchKey), store.batch(key: "nope")] + store.batches(owner: f.owner)
        a.counts = try [store.recordCount(), store.registryVersion(), store.treeSize()]
        a.units = try [store.units(gtin: f.gtin, lot: f.lot, after: nil, limit: 2), store.units(gtin: f.gtin, lot: f.lot, after: "K", limit: 10),
                       store.units(serial: "Z9"), [store.unit(gtin: f.gtin, lot: f.lot, serial: "P3D8W6T1")].compactMap { $0 }]
        for serial in ["K7Q2M9X4", "A0000001", "missing"] {
            for limit in [nil, 0, 3] as [Int?] {
                let lookup = try store.lookupUnit(gtin: f.gtin, lot: f.lot, serial: serial, scanClientLimit: limit)
                a.lookups.append("\(String(describing: lookup.unit)) \(String(describing: lookup.batch)) \(String(describing: lookup.container)) "
                                 + "\(String(describing: lookup.scans.map { ($0.count, $0.distinctClients, $0.firstScan, $0.lastScan, $0.clients.sorted { $0.lexicographicallyPrecedes($1) }) }))")
            }
            let plain = try (store as any UnitStore).lookupUnit(gtin: f.gtin, lot: f.lot, serial: serial)
            a.lookups.append("\(String(describing: plain.unit)) \(String(describing: plain.batch)) \(String(describing: plain.container))")
        }
        var issued: [String] = []
        try store.forEachIssuedUnit(gtin: f.gtin, lot: f.lot) { issued.append("\($0.serial) \($0.keyID) \($0.signature) \($0.issuedAt) \($0.hasScans)") }
        a.strings = try [store.serials(gtin: f.gtin, lot: f.lot), store.contents(of: "069012340000000016"), issued,
                         [store.container(of: "\(f.batchKey)/P3D8W6T1") ?? "-"]]
        a.containers = try [store.containers(gtin: f.gtin, lot: f.lot), store.containers(gtin: f.gtin, lot: "2026-KIWI-08")]
        a.scans = try ["K7Q2M9X4", "Z9", "A0000001"].map { serial in
            var summary = try store.scanSummary(gtin: f.gtin, lot: f.lot, serial: serial, clientLimit: 10)
            summary.clients.sort { $0.lexicographicallyPrecedes($1) }
            return summary
        }
        a.pins = try ["K7Q2M9X4", "A0000001", "Z9"].map { try store.pin(gtin: f.gtin, lot: f.lot, serial: $0) }
        a.activity = try store.activity(from: 0, until: Int64.max / 2, copyWarningClients: 2)
            + store.activity(from: 1_790_000_000, until: 1_790_200_000, copyWarningClients: 4)
        a.daily = try store.dailyScans(from: 0, until: Int64.max / 4, utcOffsetSeconds: 8 * 3600)
            + store.dailyScans(from: 1_790_100_000, until: 1_790_500_000, utcOffsetSeconds: 0)
        return a
    }

    @Test(arguments: Engine.postgresOnly) func everyReadAgreesWithSQLite(_ engine: Engine) throws {
        let sqlite = try EngineStore(.sqlite), other = try EngineStore(engine)
        try Self.populate(sqlite.store)
        try Self.populate(other.store)
        let expected = try Self.answers(sqlite.store), actual = try Self.answers(other.store)
        #expect(actual.records == expected.records)
        #expect(actual.single == expected.single)
        #expect(actual.batches == expected.batches)
        #expect(actual.counts == expected.counts)
        #expect(actual.units == expected.units)
        #expect(actual.lookups == expected.lookups)
        #expect(actual.strings == expected.strings)
        #expect(actual.containers == expected.containers)
        #expect(actual.scans == expected.scans)
        #expect(actual.pins == expected.pins)
        #expect(actual.activity == expected.activity)
        #expect(actual.daily == expected.daily)
        // And the answers are not trivially empty.
        #expect(expected.activity.first?.counts.recalls == 1 && expected.daily.count > 3 && expected.pins.first??.firstVerifiedAt == 1_790_000_500)

        // The refusals agree too.
        for store in [sqlite.store, other.store] {
            let f = T.self
            #expect(throws: StoreError.database("unit \(f.gtin)/\(f.lot)/K7Q2M9X4 already has a PIN")) {
                try store.storePins([StoredPin(gtin: f.gtin, lot: f.lot, serial: "K7Q2M9X4", hash: [UInt8](repeating: 3, count: 32), createdAt: 1)])
            }
            #expect(throws: StoreError.database("unit \(f.gtin)/\(f.lot)/NEVER was never issued")) {
                try store.storePins([StoredPin(gtin: f.gtin, lot: f.lot, serial: "NEVER", hash: [UInt8](repeating: 3, count: 32), createdAt: 1)])
            }
            #expect(throws: StoreError.database("unit \(f.gtin)/\(f.lot)/Z9 has no PIN")) {
                try store.markPinVerified(gtin: f.gtin, lot: f.lot, serial: "Z9", at: 5)
            }
        }
    }
}
