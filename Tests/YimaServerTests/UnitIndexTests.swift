import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import YimaCodes
import YimaRecords
@testable import YimaServer
@testable import YimaService
import YimaStore

/// The in-memory unit index and batch-state cache of the lookup path (docs/api.md
/// §Lookup path): answers identical to reading the store, scan counts that continue
/// from the store, and the staleness the configuration allows.
@Suite struct UnitIndexTests {
    static let forwarded = HTTPField.Name("X-Forwarded-For")!

    @Test func serialKeysAreDistinctAndFollowTextOrder() {
        let alphabet = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        var serials = Set<String>(["0", "00", "-", "ZZZZZZZZZZZZ", "------------", "A", "A-", "A0"])
        while serials.count < 5000 {
            serials.insert(String((0..<Int.random(in: 1...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        let byText = serials.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let keys = byText.map { SerialKey.pack($0)! }
        #expect(Set(keys).count == serials.count)
        #expect(keys == keys.sorted())
        for unpackable in ["", "abc", "ABCDEFGHJKMNP", "A B", "Ä", "A/B"] { #expect(SerialKey.pack(unpackable) == nil, "\(unpackable)") }
    }

    @Test func theIndexKnowsEveryIssuedCodeAndNothingElse() throws {
        let fixture = try ServerFixture(units: 300)
        let store = fixture.store
        let scanned = try UnitCode.parse(fixture.codes[7])
        try store.recordScans([ScanObservation(gtin: scanned.gtin, lot: scanned.lot, serial: scanned.serial,
                                               client: Array(repeating: 7, count: 16), time: 1_790_000_000)])
        let index = try #require(try UnitIndex.load(gtin: ServerFixture.gtin, lot: ServerFixture.lot, from: store))
        #expect(index.unitCount == 300)
        let stored = try fixture.store.unit(gtin: scanned.gtin, lot: scanned.lot, serial: scanned.serial)
        for (position, text) in fixture.codes.enumerated() {
            let code = try UnitCode.parse(text)
            guard case .issued(let issuance, let storedScans) = index.match(serial: code.serial, signature: code.signature) else {
                Issue.record("code \(position) not found"); continue
            }
            #expect(issuance.keyID == fixture.producer.id.hex)
            #expect(storedScans == (position == 7))
            var altered = code.signature
            altered[position % 64] ^= 0x01
            #expect(index.match(serial: code.serial, signature: altered) == .signatureDiffers)
        }
        #expect(stored?.issuedAt != nil)
        if case .issued(let issuance, _) = index.match(serial: scanned.serial, signature: scanned.signature) {
            #expect(issuance.issuedAt == stored?.issuedAt)
        }
        let code = try UnitCode.parse(fixture.codes[0])
        #expect(index.match(serial: "ZZZZZZZZZZZZ", signature: code.signature) == .notIssued)
        #expect(index.match(serial: String(code.serial.dropLast()), signature: code.signature) == .notIssued)
        #expect(index.match(serial: code.serial.lowercased(), signature: code.signature) == .notIssued)
    }

    /// Every kind of answer is the same whether the store or the index gives it.
    @Test func indexedAnswersEqualStoreAnswers() async throws {
        let fixture = try ServerFixture(units: 6)
        let genuine = ServerFixture.target(fixture.codes[2])
        let code = try UnitCode.parse(fixture.codes[2])
        var forgedSignature = code.signature
        forgedSignature[5] ^= 0x40
        let forged = genuine.replacingOccurrences(of: code.signatureParameterValue,
                                                  with: UnitCode(stem: code.stem, gtin: code.gtin, lot: code.lot, serial: code.serial,
                                                                 keyHint: code.keyHint, signature: forgedSignature).signatureParameterValue)
        let unknown = genuine.replacingOccurrences(of: "/21/\(code.serial)", with: "/21/ZZZZ0000ZZZZ")
        let targets = [genuine, genuine + "&format=json", forged + "&format=json", unknown + "&format=json", forged, unknown,
                       genuine + "&format=linkset"]

        func answers(indexed: Bool) async throws -> [(HTTPResponse.Status, String)] {
            let server = try await fixture.server { $0.indexedUnits = indexed ? 1000 : 0 }
            if indexed {
                try server.resolver.loadIndex(ServerFixture.batch)
            }
            let result = try await server.application().test(.router) { client in
                var result: [(HTTPResponse.Status, String)] = []
                for target in targets {
                    // A new client per request and per run.
                    let address = "10.9.\(result.count).\(indexed ? 1 : 2)"
                    let response = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: address])
                    result.append((response.status, response.text))
                }
                return result
            }
            #expect(server.metrics.text.contains("yima_unit_index_lookups_total \(indexed ? targets.count : 0)"))
            return result
        }
        let fromStore = try await answers(indexed: false)
        let fromIndex = try await answers(indexed: true)
        #expect(fromStore.map(\.0) == [.ok, .ok, .conflict, .notFound, .conflict, .notFound, .ok])
        #expect(fromIndex.map(\.0) == fromStore.map(\.0))
        // The second run's scans continue the first run's counts; the rest is identical.
        func withoutScans(_ text: String) -> String {
            text.replacingOccurrences(of: #""scan":\{[^}]*\}"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"此码已被查询 \d+ 次（\d+ 台不同设备）"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"<time[^<]*</time>"#, with: "", options: .regularExpression)
        }
        for (store, index) in zip(fromStore, fromIndex) { #expect(withoutScans(store.1) == withoutScans(index.1)) }
        let firstRun = try #require(try CanonicalJSON.parse(Array(fromStore[1].1.utf8))["scan"]?["count"]?.integer)
        let secondRun = try #require(try CanonicalJSON.parse(Array(fromIndex[1].1.utf8))["scan"]?["count"]?.integer)
        #expect(secondRun == firstRun + 2)
    }

    /// Scans written before the index was read, and scans the recorder wrote and then
    /// dropped from memory, are read from the store: counts never restart.
    @Test func scanCountsContinueAcrossTheIndexAndTheRecordersMemory() async throws {
        let fixture = try ServerFixture(units: 40)
        let target = ServerFixture.target(fixture.codes[0]) + "&format=json"
        let before = try await fixture.server()
        try await before.application().test(.router) { client in
            for address in ["10.0.0.1", "10.0.0.2"] {
                _ = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: address])
            }
        }
        // The recorder holds 16 units; scanning 40 makes it drop the written ones.
        let server = try await fixture.server { $0.cachedUnits = 16 }
        try server.resolver.loadIndex(ServerFixture.batch)
        try await server.application().test(.router) { client in
            let first = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "10.0.0.3"]).json
            #expect(first?["scan"]?["count"]?.integer == 3)
            #expect(first?["scan"]?["distinct_clients"]?.integer == 3)
            for code in fixture.codes.dropFirst() {
                _ = try await client.execute(uri: ServerFixture.target(code) + "&format=json", method: .get, headers: [Self.forwarded: "10.0.1.1"])
            }
            server.scans.flush()
            for code in fixture.codes.dropFirst() {
                _ = try await client.execute(uri: ServerFixture.target(code) + "&format=json", method: .get, headers: [Self.forwarded: "10.0.1.2"])
            }
            server.scans.flush()
            let again = try await client.execute(uri: ServerFixture.target(fixture.codes[5]) + "&format=json", method: .get,
                                                 headers: [Self.forwarded: "10.0.1.3"]).json
            #expect(again?["scan"]?["count"]?.integer == 3)
            #expect(again?["scan"]?["distinct_clients"]?.integer == 3)
            let last = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "10.0.0.1"]).json
            #expect(last?["scan"]?["count"]?.integer == 4)
            #expect(last?["scan"]?["distinct_clients"]?.integer == 3)
        }
    }

    /// Records added behind the server's back show within `batchStateMaxAge`;
    /// records posted to the server show at once.
    @Test func batchStatesAreReusedForAtMostTheirMaxAge() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server { $0.batchStateMaxAge = .milliseconds(400) }
        let target = ServerFixture.target(fixture.codes[1]) + "&format=json"
        try await server.application().test(.router) { client in
            let readAt = ContinuousClock.now
            let events = try await client.execute(uri: target, method: .get).json?["events"]?.array?.count ?? 0
            try fixture.service.recalls.recall(batch: ServerFixture.batch, units: [try UnitCode.parse(fixture.codes[1]).serial],
                                       reason: "外包装破损受潮", action: "停止食用，凭码退货", key: fixture.producer)
            // Within the max age of the state read by the first lookup, the recall may not show yet
            // (checked only when the machine was quick enough to tell).
            let stale = try await client.execute(uri: target, method: .get).json
            if ContinuousClock.now - readAt < .milliseconds(300) { #expect(stale?["recalled"]?.bool == false) }
            try await Task.sleep(for: .milliseconds(450))
            let fresh = try await client.execute(uri: target, method: .get).json
            #expect(fresh?["recalled"]?.bool == true)
            #expect(fresh?["events"]?.array?.count == events + 1)

            let posted = try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"weeding"}"#)
            let stored = try await WriteTests.post(client, posted.text)
            #expect(stored.status == .created)
            #expect(try await client.execute(uri: target, method: .get).json?["events"]?.array?.count == events + 2)
        }
    }
}

extension UnitIndexTests {
    /// The recorder's memory of dropped units is bounded: past its limit it is
    /// cleared and its generation moves, which retires the unit indexes read before.
    @Test func forgottenUnitsAreBoundedAndRetireOlderIndexes() async throws {
        let fixture = try ServerFixture(units: 40)
        let store = fixture.store
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let recorder = ScanRecorder(counting: fixture.service.scanCounting, interval: .seconds(60), batch: 1000, capacity: 16, warningThreshold: 3,
                                    forgottenLimit: 20, logger: logger)
        let batch = try #require(try fixture.store.batch(key: ServerFixture.batch.key))
        let indexes = UnitIndexes(units: store, capacity: 1000, observer: SilentResolverObserver())
        indexes.loadNow(batch, generation: recorder.forgottenGeneration)
        #expect(indexes.entry(for: batch, generation: 0) != nil)
        let serials = try fixture.codes.map { try UnitCode.parse($0).serial }
        for serial in serials.prefix(20) {
            _ = try recorder.record(gtin: ServerFixture.gtin, lot: ServerFixture.lot, serial: serial, client: Array(repeating: 1, count: 16),
                                    time: 1_790_000_000, stored: .read(ScanSummary()))
        }
        recorder.flush()
        // Over its 16 units, the recorder dropped down to 12: 8 written units are forgotten.
        func forgotten() -> Int {
            serials.filter { recorder.hasForgotten(gtin: ServerFixture.gtin, lot: ServerFixture.lot, serial: $0) }.count
        }
        #expect(recorder.forgottenGeneration == 0)
        #expect(forgotten() == 8)
        for serial in serials.dropFirst(20) {
            _ = try recorder.record(gtin: ServerFixture.gtin, lot: ServerFixture.lot, serial: serial, client: Array(repeating: 1, count: 16),
                                    time: 1_790_000_000, stored: .read(ScanSummary()))
        }
        recorder.flush()
        // 8 + 20 more dropped is past the limit of 20: the memory is reset.
        #expect(recorder.forgottenGeneration == 1)
        #expect(forgotten() == 0)
        // The index read before the reset is no longer used; the one read after knows every stored scan.
        #expect(indexes.entry(for: batch, generation: 1) == nil)
        indexes.loadNow(batch, generation: 1)
        let entry = try #require(indexes.entry(for: batch, generation: 1))
        let code = try UnitCode.parse(fixture.codes[0])
        #expect(entry.units.match(serial: code.serial, signature: code.signature)
            == .issued(UnitIndex.Issuance(keyID: fixture.producer.id.hex, issuedAt: try #require(try fixture.store.unit(gtin: code.gtin, lot: code.lot, serial: code.serial)).issuedAt),
                       storedScans: true))
    }
}
