import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaCodes
import YimaRecords
import YimaServer
import YimaService
import YimaTestSupport

/// External trace codes (docs/records.md §External trace codes, docs/api.md): a code
/// a platform assigned resolves at `/t/{code}` to its batch or unit; a code already
/// assigned, to this batch or another, is refused with 409 and nothing is stored.
@Suite struct AliasLookupTests {
    static let otherLot = "2026-KIWI-08"

    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: Date())
    }

    static func alias(_ fixture: ServerFixture, lot: String = ServerFixture.lot, code: String, serial: String? = nil) throws -> Envelope {
        let unit = serial.map { #","serial":"\#($0)""# } ?? ""
        return try fixture.service.recording.sign(draft: ServerFixture.json("""
            {"type":"external_code","time":"\(now())","batch":{"gtin":"\(ServerFixture.gtin)","lot":"\(lot)"},
             "data":{"code":"\(code)","platform":"四川省农产品质量安全追溯平台"\(unit)}}
            """), kind: .event, key: fixture.producer)
    }

    @Test func aTraceCodeRedirectsToItsBatchOrUnitAndACollisionIsRefused() async throws {
        let fixture = try ServerFixture()
        let unit = try UnitCode.parse(fixture.codes[0])
        try fixture.service.recording.submit(Self.alias(fixture, code: "SC510000-2026-0001"))
        try fixture.service.recording.submit(Self.alias(fixture, code: "NC.unit_0001~a", serial: unit.serial))
        try fixture.service.recording.submit(draft: ServerFixture.json("""
            {"gtin":"\(ServerFixture.gtin)","lot":"\(Self.otherLot)","season":"2026","quantity":{"unit":"KGM","value":"500"},
             "origin":{"division":"610124103201","place":"楼观镇周一村 4 号地块","lat":"34.0815","lon":"108.3301"}}
            """), kind: .batch, key: fixture.producer)
        let colliding = try Self.alias(fixture, lot: Self.otherLot, code: "SC510000-2026-0001")
        let notIssued = try Self.alias(fixture, lot: Self.otherLot, code: "SC510000-2026-0002", serial: "ZZZZZZZZ")
        let server = try await fixture.server()
        let before = try fixture.store.recordCount()
        try await server.application().test(.router) { client in
            // Another batch's code: 409, nothing stored; the first assignment stands.
            let refused = try await WriteTests.post(client, colliding.text)
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(refused.json?["error"]?.string == "conflict")
            #expect(refused.json?["message"]?.string?.contains("SC510000-2026-0001") == true, "\(refused.text)")
            let unknownUnit = try await WriteTests.post(client, notIssued.text)
            #expect(unknownUnit.status == .unprocessableContent, "\(unknownUnit.text)")
            #expect(try fixture.store.recordCount() == before)

            let batch = try await client.execute(uri: "/t/SC510000-2026-0001", method: .get)
            #expect(batch.status == .seeOther)
            #expect(batch.headers[.location] == "/01/\(ServerFixture.gtin)/10/\(ServerFixture.lot)")
            let english = try await client.execute(uri: "/t/SC510000-2026-0001?lang=en", method: .get)
            #expect(english.headers[.location] == "/01/\(ServerFixture.gtin)/10/\(ServerFixture.lot)?lang=en")

            // A unit's code: the redirect carries its signature, and the page says it is genuine.
            let single = try await client.execute(uri: "/t/NC.unit_0001~a", method: .get)
            #expect(single.status == .seeOther)
            #expect(single.headers[.location] == ServerFixture.target(fixture.codes[0]))
            let page = try await client.execute(uri: single.headers[.location]!, method: .get, headers: [.accept: "application/json"])
            #expect(page.status == .ok, "\(page.text)")

            let unknown = try await client.execute(uri: "/t/SC510000-2026-9999", method: .get, headers: [.accept: "application/json"])
            #expect(unknown.status == .notFound)
            #expect(unknown.json?["error"]?.string == "unknown-trace-code")
            #expect(unknown.json?["code"]?.string == "SC510000-2026-9999")
            let page404 = try await client.execute(uri: "/t/SC510000-2026-9999?lang=en", method: .get, headers: [.accept: "text/html"])
            #expect(page404.status == .notFound)
            #expect(page404.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page404.text.contains("no batch or unit has trace code SC510000-2026-9999"), "\(page404.text)")
            // Case matters: a code is compared exactly.
            let lower = try await client.execute(uri: "/t/sc510000-2026-0001", method: .get, headers: [.accept: "application/json"])
            #expect(lower.status == .notFound)

            let malformed = try await client.execute(uri: "/t/SC%2F0001", method: .get, headers: [.accept: "application/json"])
            #expect(malformed.status == .badRequest, "\(malformed.text)")
            #expect(malformed.json?["error"]?.string == "malformed-trace-code")
        }
        #expect(try fixture.service.traceAliases.aliases(batch: ServerFixture.batch.key).map(\.code)
                == ["SC510000-2026-0001", "NC.unit_0001~a"])
    }
}
