import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaServer
import YimaService
import YimaStore

/// Recalls of some units and revoked keys, as the resolver and the write API show them
/// (docs/trust-list.md §2, docs/api.md).
@Suite struct TrustLookupTests {
    @Test func aUnitRecallShowsOnlyOnItsUnitsPages() async throws {
        let fixture = try ServerFixture()
        // The recall is written straight to the store, as the CLI would: read the batch's state on every lookup.
        let server = try await fixture.server { $0.batchStateMaxAge = .zero }
        let recalled = try UnitCode.parse(fixture.codes[1]).serial
        try await server.application().test(.router) { client in
            // Cache the batch first: the recall must still show (it moves the head).
            #expect(try await client.execute(uri: ServerFixture.target(fixture.codes[1]) + "&format=json", method: .get)
                .json?["recalled"]?.bool == false)
            try fixture.service.recalls.recall(batch: ServerFixture.batch, units: [recalled],
                                       reason: "外包装破损受潮", action: "停止食用，凭码退货", key: fixture.producer)
            let json = try await client.execute(uri: ServerFixture.target(fixture.codes[1]) + "&format=json", method: .get).json
            #expect(json?["recalled"]?.bool == true)
            #expect(json?["recall"]?["scope"]?.string == "units")
            #expect(json?["recall"]?["units"]?.array?.compactMap(\.string) == [recalled])
            #expect(json?["recall"]?["action"]?.string == "停止食用，凭码退货")
            let page = try await client.execute(uri: ServerFixture.target(fixture.codes[1]), method: .get)
            #expect(page.text.contains("id=\"recall\"") && page.text.contains("外包装破损受潮"))
            let english = try await client.execute(uri: ServerFixture.target(fixture.codes[1]) + "&lang=en", method: .get)
            #expect(english.text.contains("This batch has been recalled") || english.text.contains("recalled"))

            let other = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&format=json", method: .get)
            #expect(other.json?["recalled"]?.bool == false && other.json?["recall"] == nil)
            let otherPage = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get)
            #expect(!otherPage.text.contains("id=\"recall\""))
        }
    }

    @Test func theCertificateQRResolvesToTheLabelAndTheLookupPageLinksIt() async throws {
        let fixture = try ServerFixture()
        let stored = try fixture.service.certificates.issue(batch: ServerFixture.batch,
                                                          quantity: .object(["value": "300", "unit": "KGM"]), basis: "commissioned_test",
                                                          contact: "029-87000000", number: "ZZ-HG-0001", key: fixture.producer)
        let id = try Envelope(encoded: stored.envelope).recordID.hex
        // A buyer keeps it (收购方留存合格证): shown under the certificate on the page.
        let market = try PrivateKey.generate(.ed25519)
        try fixture.service.recording.submit(draft: ServerFixture.party("xian-fruit-market", "西安果品批发市场", roles: ["market"],
                                                                        credit: "91610100MA6U2M9Q06", key: market),
                                             kind: .party, key: fixture.authority)
        _ = try fixture.service.certificates.receive(certificate: id, from: ServerFixture.producerID,
                                                     quantity: .object(["value": "120", "unit": "KGM"]), key: market)
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let label = try await client.execute(uri: "/certificates/\(id)", method: .get)
            #expect(label.status == .ok && label.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(label.text.contains("承诺达标合格证") && label.text.contains("ZZ-HG-0001") && label.text.contains("☑ 委托检测合格"))
            let json = try await client.execute(uri: "/certificates/\(id)?format=json", method: .get).json
            #expect(json?["number"]?.string == "ZZ-HG-0001" && json?["recalled"]?.bool == false)
            #expect(try await client.execute(uri: "/certificates/\(String(repeating: "0", count: 64))", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/certificates/nothex", method: .get).status == .badRequest)
            let page = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get)
            #expect(page.text.contains("id=\"compliance\"") && page.text.contains("/certificates/\(id)"))
            #expect(page.text.contains("收购方收取： 西安果品批发市场") && page.text.contains("120 千克"), "\(page.text)")
            let english = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&lang=en", method: .get)
            #expect(english.text.contains("received by 西安果品批发市场"))
            // The report counts the receipt and shows the batch's balance: 300 kg certified of 11800 kg harvested.
            let today = WriteTests.now().prefix(10)
            let report = try await client.execute(uri: "/api/v1/report?from=2026-01-01&until=\(today)", method: .get).json
            #expect(report?["total"]?["certificate_receipts"]?.integer == 1)
            let measures = report?["balances"]?.array?.first?["measures"]?.array
            let mass = measures?.first { $0["measure"]?.string == "mass" }
            #expect(mass?["supply"]?.string == "11800" && mass?["certified"]?.string == "300" && mass?["holds"]?.bool == true)
        }
    }

    @Test func theAuthorityReportEndpointCountsAndRefusesBadRanges() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let today = WriteTests.now().prefix(10)
        try await server.application().test(.router) { client in
            let json = try await client.execute(uri: "/api/v1/report?from=2026-01-01&until=\(today)&by=product", method: .get).json
            #expect(json?["rows"]?.array?.first?["key"]?.string == ServerFixture.gtin)
            #expect(json?["total"]?["codes_issued"]?.integer == Int64(fixture.codes.count))
            let bad = try await client.execute(uri: "/api/v1/report?from=2026-02-30&until=\(today)", method: .get)
            #expect(bad.status == .badRequest && bad.text.contains("invalid-report-request"))
            #expect(try await client.execute(uri: "/api/v1/report?from=2026-01-01", method: .get).status == .badRequest)
        }
    }

    @Test func aRevokedKeyIsRefusedByTheResolverAndTheWriteAPI() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0]) + "&format=json"
        try await server.application().test(.router) { client in
            #expect(try await client.execute(uri: target, method: .get).status == .ok)  // cached as genuine
            try fixture.service.keys.revokeKey(party: ServerFixture.producerID, keyID: fixture.producer.id.hex, compromisedSince: nil,
                                          reason: "签名设备被盗", authority: fixture.authority)
            // The resolver re-reads the registry's version at most once a second.
            try await Task.sleep(for: .milliseconds(1100))
            let refused = try await client.execute(uri: target, method: .get)
            #expect(refused.status == .conflict)
            #expect(refused.json?["error"]?.string == "key-not-valid" || refused.text.contains("key-not-valid"), "\(refused.text)")
            #expect(refused.text.contains("签名设备被盗"))

            // The write API: nothing new from that key, nothing stored.
            let count = try fixture.store.recordCount()
            let event = try fixture.signedEvent("storing", WriteTests.now(), #"{"location":"周至冷库 2 号"}"#)
            let response = try await WriteTests.post(client, event.text)
            #expect(response.status == .forbidden)
            #expect(response.text.contains("key-not-valid"), "\(response.text)")
            #expect(try fixture.store.recordCount() == count)
        }
    }
}
