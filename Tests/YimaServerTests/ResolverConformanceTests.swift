import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YimaCodes
import YimaRecords
import YimaServer
import YimaService
import YimaStore

/// GS1-Conformant Resolver criteria (GS1 Digital Link: Conformant Resolver standard
/// 1.0/1.2, as GS1's resolver test suite checks them), each asserted on the running
/// server; docs/api.md §Conformance lists them with these test names.
@Suite struct ResolverConformanceTests {
    static let gtin = ServerFixture.gtin
    static let lot = ServerFixture.lot
    static let batchPath = "/01/\(gtin)/10/\(lot)"
    static let productPath = "/01/\(gtin)"
    static let link = HTTPField.Name("Link")!

    /// "If the request GS1 Digital Link URI includes one or more key qualifiers, any
    /// links associated with each level up to the primary key SHALL be included."
    @Test func walkUpBatchPageShowsTheBatchAndNoUnit() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[0])
        try await server.application().test(.router) { client in
            let page = try await client.execute(uri: Self.batchPath, method: .get, headers: [.accept: "text/html"])
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = page.text
            #expect(page.body.readableBytes < 50_000)
            for text in ["周至猕猴桃", "周至县猕猴桃专业合作社", "楼观镇周一村", "吡虫啉", "PD20080123", "西安农产品质量检测中心",
                         "XA-2026-0915", "AGI00123", "批次信息", "href=\"/01/\(Self.gtin)\"", "format=qr"] where !html.contains(text) {
                Issue.record("batch page lacks \(text)")
            }
            #expect(!html.contains("正品码"))
            for issued in fixture.codes {
                let unit = try UnitCode.parse(issued)
                #expect(!html.contains(unit.serial) && !html.contains(unit.signatureParameterValue))
            }
            #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("<link "))
            let english = try await client.execute(uri: Self.batchPath + "?lang=en", method: .get)
            #expect(english.text.contains("<html lang=\"en\">") && english.text.contains("Batch information"))
            #expect(english.body.readableBytes < 50_000)

            let json = try #require(try await client.execute(uri: Self.batchPath, method: .get, headers: [.accept: "application/json"]).json)
            #expect(json["level"]?.string == "batch")
            #expect(json["lot"]?.string == Self.lot)
            #expect(json["recalled"]?.bool == false)
            #expect(json["events"]?.array?.count == 5)
            #expect(json["serial"] == nil && json["scan"] == nil && json["verdict"] == nil)

            // The batch's linkset walks up to the product; a unit's walks up to its batch and product.
            let batchSet = try #require(try await client.execute(uri: Self.batchPath, method: .get,
                                                                 headers: [.accept: "application/linkset+json"]).json?["linkset"]?.array?.first)
            let batchPips = try #require(batchSet["https://gs1.org/voc/pip"]?.array).compactMap { $0["href"]?.string }
            #expect(batchPips.contains { $0.contains("\(Self.productPath)?format=html") })
            let unitSet = try #require(try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get,
                                                                headers: [.accept: "application/linkset+json"]).json?["linkset"]?.array?.first)
            let unitPips = try #require(unitSet["https://gs1.org/voc/pip"]?.array).compactMap { $0["href"]?.string }
            #expect(unitPips.contains { $0.contains("\(Self.batchPath)?format=html") })
            #expect(unitPips.contains { $0.contains("\(Self.productPath)?format=html") })

            // None of it counted a scan: the unit's first counted scan is this one.
            let scanned = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&format=json", method: .get)
            #expect(scanned.json?["scan"]?["count"]?.integer == 1)
            #expect(scanned.json?["serial"]?.string == code.serial)
        }
    }

    /// Walk-up to the primary key: `/01/{gtin}` is the product and its current batches.
    @Test func walkUpProductPageListsItsBatches() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let page = try await client.execute(uri: Self.productPath, method: .get)
            #expect(page.status == .ok)
            #expect(page.body.readableBytes < 50_000)
            for text in ["周至猕猴桃", "AGI00123", "周至县猕猴桃专业合作社", "href=\"\(Self.batchPath)\"", Self.lot] {
                #expect(page.text.contains(text), "product page lacks \(text)")
            }
            let english = try await client.execute(uri: Self.productPath, method: .get, headers: [.acceptLanguage: "en"])
            #expect(english.text.contains("Zhouzhi kiwifruit") && english.text.contains("Batches"))
            let json = try #require(try await client.execute(uri: Self.productPath + "?format=json", method: .get).json)
            #expect(json["level"]?.string == "product")
            #expect(json["product"]?["record"]?["gtin"]?.string == Self.gtin)
            #expect(json["batches"]?.array?.first?["lot"]?.string == Self.lot)
            #expect(json["batch_count"]?.integer == 1)
            let set = try #require(try await client.execute(uri: Self.productPath + "?format=linkset", method: .get)
                .json?["linkset"]?.array?.first)
            #expect(set["anchor"]?.string?.hasSuffix(Self.productPath) == true)
            #expect(set["https://gs1.org/voc/pip"]?.array?.count == 2)
            let unknown = try await client.execute(uri: "/01/06901234567908", method: .get, headers: [.accept: "application/json"])
            #expect(unknown.status == .notFound)
            #expect(unknown.json?["error"]?.string == "unknown-product")
        }
    }

    /// A valid Digital Link without `?s=` is resolved (not a syntax error): the
    /// batch's information, the unit marked as not verifiable without its signature.
    @Test func digitalLinkWithoutSignatureResolvesToItsBatchMarkedUnverifiable() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[0])
        let unsigned = "\(Self.batchPath)/21/\(code.serial)"
        try await server.application().test(.router) { client in
            let json = try await client.execute(uri: unsigned, method: .get, headers: [.accept: "application/json"])
            #expect(json.status == .ok)
            #expect(json.json?["verdict"]?.string == "unverifiable")
            #expect(json.json?["genuine"] == nil)
            #expect(json.json?["unit"]?["verifiable"]?.bool == false)
            #expect(json.json?["unit"]?["serial"]?.string == code.serial)
            let page = try await client.execute(uri: unsigned, method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("无法核验此单件商品") && !page.text.contains("正品码"))
            // Not counted: the unit's first scan is the signed one.
            let signed = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&format=json", method: .get)
            #expect(signed.json?["scan"]?["count"]?.integer == 1)
        }
    }

    /// "The resolver accepts any valid Digital Link URI with any extra query
    /// parameters, and judges the signed code within it" (issue 17): other pairs
    /// around `s` do not make a genuine code malformed.
    @Test func extraQueryParametersAroundTheSignatureAreIgnored() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        let path = String(target[..<target.firstIndex(of: "?")!])
        let signature = String(target[target.index(after: target.firstIndex(of: "?")!)...])
        try await server.application().test(.router) { client in
            for uri in [target + "&foo=bar", "\(path)?utm_source=shop&\(signature)", target + "&17=261231"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"])
                #expect(response.status == .ok, "\(uri)")
                #expect(response.json?["verdict"]?.string == "genuine")
                #expect(response.json?["code"]?.string?.hasSuffix(target) == true)
            }
        }
    }

    /// "SHALL support CORS": every read endpoint answers with
    /// `Access-Control-Allow-Origin`, also when the lookup pipeline answers; the write
    /// API does not.
    @Test func corsOnEveryReadEndpoint() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        let origin = HTTPField.Name("Origin")!
        for mode in [TestingSetup.router, .live] {
            try await server.application().test(mode) { client in
                for (uri, accept) in [(target, "text/html"), (target, "application/json"), (target, "application/linkset+json"),
                                      (Self.batchPath, "application/json"), (Self.productPath, "text/html"),
                                      ("/.well-known/gs1resolver", "application/json"), ("/checkpoint", "text/plain"),
                                      ("/tile/0/000.p/1", "*/*"), ("/01/06901234567892/10/NOPE", "application/json")] {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.accept: accept, origin: "https://shop.example.com"])
                    #expect(response.headers[.accessControlAllowOrigin] == "*", "\(mode) \(uri): \(response.status)")
                }
                let write = try await client.execute(uri: "/api/v1/records", method: .post, headers: [origin: "https://shop.example.com"],
                                                     body: ByteBuffer(string: "{"))
                #expect(write.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    /// "SHALL support HTTP 1.1 GET, HEAD and OPTIONS": OPTIONS answers a CORS
    /// preflight for read endpoints; the write API's preflight grants no origin.
    @Test func optionsAnswersPreflight() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        try await server.application().test(.live) { client in
            for uri in [ServerFixture.target(fixture.codes[0]), Self.batchPath, Self.productPath, "/.well-known/gs1resolver"] {
                let response = try await client.execute(uri: uri, method: .options, headers: [
                    HTTPField.Name("Origin")!: "https://shop.example.com", .accessControlRequestMethod: "GET",
                    .accessControlRequestHeaders: "accept-language",
                ])
                #expect(response.status == .noContent, "\(uri)")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowMethods]?.contains("GET") == true)
                #expect(response.headers[.accessControlAllowMethods]?.contains("HEAD") == true)
                #expect(response.headers[.accessControlAllowHeaders] == "accept-language")
            }
            let head = try await client.execute(uri: Self.batchPath, method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            let write = try await client.execute(uri: "/api/v1/records", method: .options,
                                                 headers: [HTTPField.Name("Origin")!: "https://shop.example.com"])
            #expect(write.headers[.accessControlAllowOrigin] == nil)
        }
    }

    /// "SHALL return a 404 Not Found message if a link of the requested type is not
    /// available"; `linkType=linkset` (and `all`) is the linkset itself.
    @Test func linkTypeLinksetAndUnknownLinkTypes() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            for uri in [target + "&linkType=linkset", target + "&linkType=gs1:linkset", Self.batchPath + "?linkType=linkset",
                        Self.productPath + "?linkType=all"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "application/linkset+json")
                #expect(response.json?["linkset"]?.array?.first?["https://gs1.org/voc/pip"] != nil)
            }
            for uri in [target + "&linkType=gs1:nosuchlt", Self.batchPath + "?linkType=gs1:nosuchlt",
                        Self.productPath + "?linkType=gs1:traceability", target + "&linkType=https://example.com/other"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.json?["error"]?.string == "unknown-link-type")
                let linkset = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/linkset+json"])
                #expect(linkset.status == .notFound)
            }
        }
    }

    /// Language variants (`supportsLanguageVariants: true`): `linkType=gs1:pip`
    /// redirects to the link whose `hreflang` matches `Accept-Language` or `lang`.
    @Test func pipRedirectFollowsTheRequestedLanguage() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            let english = try await client.execute(uri: target + "&linkType=gs1:pip", method: .get, headers: [.acceptLanguage: "en"])
            #expect(english.status == .temporaryRedirect)
            #expect(english.headers[.location]?.contains("lang=en") == true)
            let byParameter = try await client.execute(uri: target + "&linkType=gs1:pip&lang=en", method: .get)
            #expect(byParameter.headers[.location]?.contains("lang=en") == true)
            #expect(byParameter.headers[.location]?.contains("lang=zh") == false)
            let chinese = try await client.execute(uri: target + "&linkType=gs1:pip", method: .get)
            #expect(chinese.headers[.location]?.contains("lang=zh") == true)
            let batch = try await client.execute(uri: Self.batchPath + "?linkType=gs1:pip", method: .get,
                                                 headers: [.acceptLanguage: "en-GB,en;q=0.9"])
            #expect(batch.headers[.location]?.contains("\(Self.batchPath)?format=html&lang=en") == true)
        }
    }

    /// "SHALL pass on all key=value pairs in the query string of the request URI
    /// (except linkType) when redirecting", and redirects carry `Link: <…>; rel="linkset"` (SHOULD).
    @Test func redirectsKeepTheQueryAndLinkTheLinkset() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            for uri in [target + "&linkType=gs1:traceability&foo=bar", Self.batchPath + "?foo=bar&linkType=gs1:traceability"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .temporaryRedirect, "\(uri)")
                let location = try #require(response.headers[.location])
                #expect(location.contains("format=json") && location.contains("foo=bar") && !location.contains("linkType"))
                let link = try #require(response.headers[Self.link])
                #expect(link.contains("rel=\"linkset\"") && link.contains("format=linkset"))
            }
        }
    }

    /// "SHALL return 400 Bad Request for a URI that fails syntax validation"; a
    /// trailing slash is tolerated (SHOULD); unknown identifiers are 404; never a 500.
    @Test func syntaxErrorsAre400AndTrailingSlashesTolerated() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[0])
        try await server.application().test(.router) { client in
            for uri in ["\(Self.batchPath)/21/\(code.serial)/foo", "/01/06901234567893", "/01/06901234567892/10",
                        "/01/0690123456789/10/A", "/01", "/01/06901234567892/99/X", "/01/06901234567892/10/A/21/B/01/06901234567892"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"])
                #expect(response.status == .badRequest, "\(uri): \(response.status)")
                #expect(response.json?["error"]?.string != nil)
            }
            for uri in [Self.batchPath + "/", Self.productPath + "/", ServerFixture.target(fixture.codes[0])
                            .replacingOccurrences(of: "?s=", with: "/?s=")] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"])
                #expect(response.status == .ok, "\(uri): \(response.status)")
            }
            for uri in ["/01/06901234567892/10/NOPE", "/01/06901234567892/10/nope", "/01/06901234567908/10/A/21/B"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"])
                #expect(response.status == .notFound, "\(uri): \(response.status)")
                #expect(response.json?["error"]?.string == "unknown-batch")
            }
        }
    }

    /// Default link: the 1.0 standard's "SHALL redirect to the default link" unless
    /// the request asks otherwise. Documented choice (docs/api.md §Conformance): the
    /// default link's content is served in place with 200 and `Link: rel="linkset"`,
    /// saving a rural phone one round trip; `linkType=gs1:defaultLink` redirects.
    @Test func defaultLinkIsServedInPlace() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            for uri in [ServerFixture.target(fixture.codes[0]), Self.batchPath, Self.productPath] {
                let page = try await client.execute(uri: uri, method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[Self.link]?.contains("rel=\"linkset\"") == true)
                let redirect = try await client.execute(uri: uri + (uri.contains("?") ? "&" : "?") + "linkType=gs1:defaultLink", method: .get)
                #expect(redirect.status == .temporaryRedirect)
                #expect(redirect.headers[.location]?.contains("format=html&lang=zh") == true)
            }
        }
    }

    /// Linkset anchors follow the scheme and host the client used, through a trusted proxy.
    @Test func anchorsFollowTheForwardedSchemeAndHost() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: Self.batchPath + "?format=linkset", method: .get, headers: [
                HTTPField.Name("X-Forwarded-Proto")!: "https", HTTPField.Name("X-Forwarded-Host")!: "trace.example.cn",
            ])
            let set = try #require(response.json?["linkset"]?.array?.first)
            #expect(set["anchor"]?.string == "https://TRACE.EXAMPLE.CN\(Self.batchPath)")
        }
        let untrusted = try await fixture.server { $0.trustForwardedFor = false }
        try await untrusted.application().test(.router) { client in
            let response = try await client.execute(uri: Self.batchPath + "?format=linkset", method: .get, headers: [
                HTTPField.Name("X-Forwarded-Proto")!: "https", HTTPField.Name("X-Forwarded-Host")!: "evil.example.com",
            ])
            #expect(response.json?["linkset"]?.array?.first?["anchor"]?.string?.contains("EVIL") == false)
        }
    }

    /// A QR image (SVG) of a batch page's own URL, for a shop's listing.
    @Test func batchPageQRCodeIsSVG() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: Self.batchPath + "?format=qr", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/svg+xml")
            #expect(response.text.hasPrefix("<svg") || response.text.hasPrefix("<?xml"))
        }
    }
}
