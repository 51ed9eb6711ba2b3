import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YimaTestSupport
import YimaCodes
import YimaRecords
import YimaServer
import YimaService
import YimaStore

@Suite struct ScanTests {
    static let forwarded = HTTPField.Name("X-Forwarded-For")!

    @Test(arguments: Engine.all) func copyWarningNeedsDistinctClientsAndScansPersistWithoutAddresses(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server { $0.copyWarningClients = 3 }
        let code = fixture.codes[0]
        let target = ServerFixture.target(code) + "&format=json"
        try await server.application().test(.router) { client in
            func scan(_ address: String) async throws -> JSONValue {
                try #require(try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "192.0.2.1, \(address)"]).json)
            }
            // The same client again and again never raises the warning.
            for _ in 0..<5 { #expect(try await scan("10.0.0.1")["scan"]?["copy_warning"]?.bool == false) }
            #expect(try await scan("10.0.0.2")["scan"]?["copy_warning"]?.bool == false)
            let third = try await scan("10.0.0.3")
            #expect(third["scan"]?["distinct_clients"]?.integer == 3)
            #expect(third["scan"]?["copy_warning"]?.bool == false)
            let fourth = try await scan("10.0.0.4")
            #expect(fourth["scan"]?["count"]?.integer == 8)
            #expect(fourth["scan"]?["distinct_clients"]?.integer == 4)
            #expect(fourth["scan"]?["copy_warning"]?.bool == true)
            let page = try await client.execute(uri: ServerFixture.target(code), method: .get, headers: [Self.forwarded: "10.0.0.1"])
            #expect(page.text.contains("此码可能已被复制"))
            // Another unit is unaffected.
            let other = try await client.execute(uri: ServerFixture.target(fixture.codes[1]) + "&format=json", method: .get,
                                                 headers: [Self.forwarded: "10.0.0.4"])
            #expect(other.json?["scan"]?["count"]?.integer == 1)
        }
        // Graceful shutdown wrote every scan.
        let parsed = try UnitCode.parse(code)
        let store = fixture.store
        let summary = try store.scanSummary(gtin: parsed.gtin, lot: parsed.lot, serial: parsed.serial, clientLimit: 10)
        #expect(summary.count == 9)
        #expect(summary.distinctClients == 4)
        #expect(summary.clients.allSatisfy { $0.count == 16 })
        #expect(summary.firstScan != nil)
        // No raw address anywhere in the database files.
        let folder = fixture.directory.path
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("yima.sqlite") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
            #expect(bytes.range(of: Data("10.0.0.4".utf8)) == nil, "\(name) holds a raw address")
        }

        // A restarted server continues from the store.
        let restarted = try await fixture.server { $0.copyWarningClients = 3 }
        try await restarted.application().test(.router) { client in
            let json = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "10.0.0.1"]).json
            #expect(json?["scan"]?["count"]?.integer == 10)
            #expect(json?["scan"]?["distinct_clients"]?.integer == 4)
            #expect(json?["scan"]?["copy_warning"]?.bool == true)
        }
    }

    @Test(arguments: Engine.all) func manyScansAreBatchedAndNoneIsLost(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server {
            $0.scanFlushBatch = 7
            $0.scanFlushInterval = .seconds(60)
        }
        let target = ServerFixture.target(fixture.codes[2]) + "&format=json"
        try await server.application().test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let response = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "10.1.0.\(index % 6)"])
                        #expect(response.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
        }
        let parsed = try UnitCode.parse(fixture.codes[2])
        let summary = try fixture.store.scanSummary(gtin: parsed.gtin, lot: parsed.lot, serial: parsed.serial, clientLimit: 0)
        #expect(summary.count == 50)
        #expect(summary.distinctClients == 6)
    }

    @Test(arguments: Engine.all) func liveServerCountsByPeerAddressAndFlushesOnShutdown(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server {
            $0.trustForwardedFor = false
            $0.port = 0
            $0.scanFlushInterval = .seconds(60)
        }
        let target = ServerFixture.target(fixture.codes[3]) + "&format=json"
        try await server.application().test(.live) { client in
            for _ in 0..<3 {
                // A forged X-Forwarded-For is ignored unless trusted.
                let response = try await client.execute(uri: target, method: .get, headers: [Self.forwarded: "\(UInt8.random(in: 1...200)).1.1.1"])
                #expect(response.status == .ok)
            }
            let json = try await client.execute(uri: target, method: .get).json
            #expect(json?["scan"]?["distinct_clients"]?.integer == 1)
            let head = try await client.execute(uri: ServerFixture.target(fixture.codes[3]), method: .head)
            #expect(head.status == .ok)
        }
        let parsed = try UnitCode.parse(fixture.codes[3])
        let summary = try fixture.store.scanSummary(gtin: parsed.gtin, lot: parsed.lot, serial: parsed.serial, clientLimit: 0)
        #expect(summary.count == 4)
    }
}
