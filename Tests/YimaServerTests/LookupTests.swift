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

@Suite struct LookupTests {
    @Test(arguments: Engine.all) func jsonChainOfAGenuineCodeCarriesEveryEnvelope(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let code = fixture.codes[0]
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: ServerFixture.target(code), method: .get,
                                                    headers: [.accept: "application/json", HTTPField.Name("X-Forwarded-For")!: "10.0.0.1"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try #require(response.json)
            #expect(json["verdict"]?.string == "genuine")
            #expect(json["genuine"]?.bool == true)
            #expect(json["issuer"]?["party"]?.string == ServerFixture.producerID)
            #expect(json["serial"]?.string == (try UnitCode.parse(code)).serial)
            #expect(json["scan"]?["count"]?.integer == 1)
            #expect(json["scan"]?["copy_warning"]?.bool == false)
            #expect(json["scan"]?["first_scan"]?.string != nil)
            #expect(json["recalled"]?.bool == false)
            let events = try #require(json["events"]?.array)
            #expect(events.count == 5)  // pesticide, fertilizer, harvest, inspection, unit issuance
            // Every envelope verifies against the signer's key in the parties list.
            let parties = try #require(json["parties"]?.array)
            #expect(Set(parties.compactMap { $0["record"]?["id"]?.string }) == [ServerFixture.producerID, ServerFixture.labID])
            for entry in events + [json["batch"]!, json["product"]!] {
                let envelope = try Envelope(text: String(decoding: CanonicalJSON.encode(entry["envelope"]!), as: UTF8.self))
                #expect(envelope.recordID.hex == entry["id"]?.string)
                let signer = entry["signer"]?.string
                let party = try #require(parties.first { $0["record"]?["id"]?.string == signer })
                let partyEnvelope = try Envelope(text: String(decoding: CanonicalJSON.encode(party["envelope"]!), as: UTF8.self))
                guard case .party(let registered) = try Record(payload: partyEnvelope.payload) else { Issue.record("not a party"); return }
                let key = try #require(registered.publicKey(envelope.keyID))
                #expect(envelope.verify(with: key) == .valid(envelope.recordID))
            }
            // format=json overrides Accept; a second scan from the same client counts but adds no client.
            let again = try await client.execute(uri: ServerFixture.target(code) + "&format=json", method: .get,
                                                 headers: [.accept: "text/html", HTTPField.Name("X-Forwarded-For")!: "10.0.0.1"])
            #expect(again.json?["scan"]?["count"]?.integer == 2)
            #expect(again.json?["scan"]?["distinct_clients"]?.integer == 1)
        }
    }

    @Test(arguments: Engine.all) func consumerPageIsChineseByDefaultSmallAndSelfContained(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get,
                                                    headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = response.text
            #expect(response.body.readableBytes < 50_000)
            for text in ["周至猕猴桃", "正品码", "周至县猕猴桃专业合作社", "楼观镇周一村", "吡虫啉", "PD20080123", "安全间隔期",
                         "腐熟羊粪", "西安农产品质量检测中心", "XA-2026-0915", "农产品地理标志", "AGI00123", "采收", "首次查询时间"] {
                #expect(html.contains(text), "page lacks \(text)")
            }
            #expect(html.contains("<html lang=\"zh-CN\">"))
            #expect(!html.contains("<script"))
            #expect(!html.contains("src=\"http"))
            #expect(!html.contains("<link "))

            let english = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&lang=en", method: .get)
            #expect(english.text.contains("Zhouzhi kiwifruit"))
            #expect(english.text.contains("Genuine"))
            #expect(english.text.contains("Safety interval"))
            let byHeader = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get,
                                                    headers: [.acceptLanguage: "en-US,en;q=0.9,zh;q=0.5"])
            #expect(byHeader.text.contains("<html lang=\"en\">"))
        }
    }

    @Test(arguments: Engine.all) func headAnswersLikeGetWithoutABodyOrAScan(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let head = try await client.execute(uri: ServerFixture.target(fixture.codes[1]), method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(head.body.readableBytes == 0)
            let json = try await client.execute(uri: ServerFixture.target(fixture.codes[1]) + "&format=json", method: .get)
            #expect(json.json?["scan"]?["count"]?.integer == 1)
            let missing = try await client.execute(uri: "/01/06901234567892/10/NOPE/21/NOPE?s=1", method: .head)
            #expect(missing.status == .badRequest)
        }
    }

    @Test(arguments: Engine.all) func unknownMalformedAndForgedCodesAreClearErrors(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let code = fixture.codes[0]
        let parsed = try UnitCode.parse(code)
        try await server.application().test(.router) { client in
            // A well-formed code of a batch this store never saw: 404 not-issued.
            let otherBatch = ServerFixture.target(code).replacingOccurrences(of: "/10/\(ServerFixture.lot)/", with: "/10/2026-OTHER/")
            let unknown = try await client.execute(uri: otherBatch, method: .get, headers: [.accept: "application/json"])
            #expect(unknown.status == .notFound)
            #expect(unknown.json?["error"]?.string == "not-issued")
            #expect(unknown.json?["verdict"]?.string == "not-issued")

            // One character of the serial changed, signature kept: not genuine.
            var serial = Array(parsed.serial)
            serial[0] = serial[0] == "A" ? "B" : "A"
            let altered = ServerFixture.target(code).replacingOccurrences(of: "/21/\(parsed.serial)?", with: "/21/\(String(serial))?")
            let forged = try await client.execute(uri: altered, method: .get, headers: [.accept: "application/json"])
            #expect(forged.status == .notFound)
            #expect(forged.json?["verdict"]?.string == "not-issued")
            #expect(forged.json?["genuine"] == nil)
            let page = try await client.execute(uri: altered, method: .get)
            #expect(page.status == .notFound)
            #expect(page.text.contains("非本系统签发的码"))

            // The issued serial with another unit's signature: forged (409).
            let other = try UnitCode.parse(fixture.codes[1])
            let swapped = ServerFixture.target(code).replacingOccurrences(of: parsed.signatureParameterValue, with: other.signatureParameterValue)
            let mismatch = try await client.execute(uri: swapped, method: .get, headers: [.accept: "application/json"])
            #expect(mismatch.status == .conflict)
            #expect(mismatch.json?["verdict"]?.string == "forged")
            let forgedPage = try await client.execute(uri: swapped, method: .get, headers: [.acceptLanguage: "en"])
            #expect(forgedPage.status == .conflict)
            #expect(forgedPage.text.contains("Forged code"))

            // Malformed: bad check digit, lowercase lot, no signature — 400 with the reason.
            let badCheck = ServerFixture.target(code).replacingOccurrences(of: "/01/06901234567892/", with: "/01/06901234567893/")
            let checkDigit = try await client.execute(uri: badCheck, method: .get, headers: [.accept: "application/json"])
            #expect(checkDigit.status == .badRequest)
            #expect(checkDigit.json?["error"]?.string == "malformed-code")
            #expect(checkDigit.json?["reason"]?.string?.contains("check digit") == true)
            // No signature: a valid Digital Link, answered with its batch and marked
            // unverifiable (issue 17; ResolverConformanceTests); a malformed `s` is 400.
            let unsigned = try await client.execute(uri: "/01/06901234567892/10/\(ServerFixture.lot)/21/\(parsed.serial)",
                                                    method: .get, headers: [.accept: "application/json", .acceptLanguage: "en"])
            #expect(unsigned.status == .ok)
            #expect(unsigned.json?["verdict"]?.string == "unverifiable")
            let badSignature = try await client.execute(uri: "/01/06901234567892/10/\(ServerFixture.lot)/21/\(parsed.serial)?s=12",
                                                        method: .get, headers: [.accept: "application/json", .acceptLanguage: "en"])
            #expect(badSignature.status == .badRequest)
            #expect(badSignature.json?["error"]?.string == "malformed-code")
            let lower = try await client.execute(uri: "/01/06901234567892/10/abc/21/x?s=1", method: .get, headers: [.accept: "application/json"])
            #expect(lower.status == .badRequest)
            let malformedPage = try await client.execute(uri: "/01/06901234567892/10/abc/21/x?s=1", method: .get)
            #expect(malformedPage.status == .badRequest)
            #expect(malformedPage.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test(arguments: Engine.all) func badPathsAndHugeTargetsAre4xxWithJSON(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let code = fixture.codes[0]
        try await server.application().test(.router) { client in
            for uri in ["/01/123", "/nothing/here", "/01/06901234567892/10/A/21/B/C", "/%ff%fe", "/01//10//21/"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect((400..<500).contains(response.status.code), "\(uri): \(response.status)")
                #expect(response.json?["error"]?.string != nil, "\(uri) has no JSON error")
            }
            let huge = ServerFixture.target(code) + "&x=" + String(repeating: "A", count: 10_000)
            let tooLong = try await client.execute(uri: huge, method: .get)
            #expect(tooLong.status == .uriTooLong)
            #expect(tooLong.json?["error"]?.string == "uri-too-long")
            let wrongMethod = try await client.execute(uri: ServerFixture.target(code), method: .delete)
            #expect((400..<500).contains(wrongMethod.status.code))
        }
    }

    @Test(arguments: Engine.all) func linksetAndResolverDescription(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: target, method: .get, headers: [.accept: "application/linkset+json"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/linkset+json")
            let set = try #require(response.json?["linkset"]?.array?.first)
            #expect(set["anchor"]?.string?.hasSuffix("/01/06901234567892/10/\(ServerFixture.lot)/21/\((try UnitCode.parse(fixture.codes[0])).serial)") == true)
            #expect(set["https://gs1.org/voc/defaultLink"]?.array?.count == 1)
            // The unit's page in two languages, then (walk-up) its batch's and its product's.
            let serial = try UnitCode.parse(fixture.codes[0]).serial
            #expect(set["https://gs1.org/voc/pip"]?.array?.filter { $0["href"]?.string?.contains(serial) == true }.count == 2)
            #expect(set["https://gs1.org/voc/traceability"]?.array?.first?["type"]?.string == "application/json")
            #expect(set["itemDescription"]?.string == "周至猕猴桃")

            let only = try await client.execute(uri: target + "&linkType=gs1:traceability", method: .get,
                                                headers: [.accept: "application/linkset+json"])
            let selected = try #require(only.json?["linkset"]?.array?.first)
            #expect(selected["https://gs1.org/voc/pip"] == nil)
            #expect(selected["https://gs1.org/voc/traceability"] != nil)

            let redirect = try await client.execute(uri: target + "&linkType=gs1:traceability", method: .get)
            #expect(redirect.status == .temporaryRedirect)
            #expect(redirect.headers[.location]?.contains("format=json") == true)
            let all = try await client.execute(uri: target + "&linkType=all", method: .get)
            #expect(all.headers[.contentType] == "application/linkset+json")

            let description = try await client.execute(uri: "/.well-known/gs1resolver", method: .get)
            #expect(description.status == .ok)
            #expect(description.json?["supportedPrimaryKeys"]?.array?.first?.string == "01")
            #expect(description.json?["activeLinkTypes"]?["en"]?["gs1:pip"] != nil)
        }
    }

    @Test(arguments: Engine.all) func healthAndMetrics(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json?["status"]?.string == "ok")
            _ = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("yima_lookups_total{verdict=\"genuine\"} 1"))
            #expect(metrics.text.contains("yima_http_requests_total"))
        }
    }
}

@Suite struct CacheTests {
    @Test(arguments: Engine.all) func aNewRecordInvalidatesTheCachedChainAndARecallShows(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            let before = try await client.execute(uri: target + "&format=json", method: .get)
            #expect(before.json?["recalled"]?.bool == false)
            #expect(before.json?["events"]?.array?.count == 5)
            // Cached now; a recall moves the batch head.
            let recall = try fixture.signedEvent("recall", WriteTests.now(), #"{"reason":"吡虫啉残留超标","action":"停止销售并退货"}"#)
            #expect(try await WriteTests.post(client, recall.text).status == .created)
            let after = try await client.execute(uri: target + "&format=json", method: .get)
            #expect(after.json?["recalled"]?.bool == true)
            #expect(after.json?["recall"]?["reason"]?.string == "吡虫啉残留超标")
            #expect(after.json?["events"]?.array?.count == 6)
            let page = try await client.execute(uri: target, method: .get)
            #expect(page.text.contains("此批次已被召回"))
            #expect(page.text.contains("停止销售并退货"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("yima_chain_cache_hits_total 1"))
            #expect(metrics.text.contains("yima_chain_cache_misses_total 2"))
        }
    }
}
