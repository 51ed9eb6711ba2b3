import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaServer
import YimaService
import YimaTestSupport

/// Security headers on every HTML answer, 405 with `Allow` for every route, and the
/// report's rate limit (docs/api.md §Security headers, §Errors; docs/report.md §Access).
@Suite struct HardeningTests {
    static func expectDocumentHeaders(_ response: TestResponse, _ what: String) {
        let policy = response.headers[.contentSecurityPolicy] ?? ""
        #expect(policy.contains("frame-ancestors 'none'"), "\(what): \(policy)")
        #expect(policy.contains("default-src 'none'"), "\(what): \(policy)")
        #expect(!policy.contains("script-src"), "\(what): no script may run")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(what)")
        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(what)")
    }

    /// Every path docs/openapi.yaml says can answer HTML (or SVG) is requested in each
    /// HTML-answering state, and every answer carries the headers. A new HTML route in
    /// the document without a request here fails the test.
    @Test func everyHTMLAnswerCarriesTheSecurityHeaders() async throws {
        let document = MiniYAML.parse(try String(contentsOf: Repository.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8))
        var htmlPaths = Set<String>()
        for path in document["paths"]?.keys ?? [] {
            for method in ["get", "head"] {
                for status in document["paths"]?[path]?[method]?["responses"]?.keys ?? [] {
                    var response = document["paths"]?[path]?[method]?["responses"]?[status]
                    if let reference = response?["$ref"]?.text { response = document["components"]?["responses"]?[String(reference.split(separator: "/").last!)] }
                    let types = response?["content"]?.keys ?? []
                    if types.contains(where: { $0.hasPrefix("text/html") || $0.hasPrefix("image/svg+xml") }) { htmlPaths.insert(path) }
                }
            }
        }

        let fixture = try ServerFixture()
        let certificate = try fixture.service.certificates.issue(
            batch: ServerFixture.batch, quantity: .object(["value": "100", "unit": "KGM"]), basis: "self_test", contact: "029-1",
            key: fixture.producer)
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[0])
        let target = ServerFixture.target(fixture.codes[0])
        let forged = target.replacingOccurrences(of: code.signatureParameterValue, with: try UnitCode.parse(fixture.codes[1]).signatureParameterValue)
        let batch = "/01/\(code.gtin)/10/\(code.lot)"
        let requests: [String: [String]] = [
            "/01/{gtin}/10/{lot}/21/{serial}": [target, forged, "/01/\(code.gtin)/10/\(code.lot)/21/NOPE?s=1" + String(repeating: "0", count: 165),
                                                 "/01/06901234567893/10/A/21/B?s=1"],
            "/01/{gtin}/10/{lot}": [batch, batch + "?format=qr", "/01/\(code.gtin)/10/NOPE"],
            "/01/{gtin}": ["/01/\(code.gtin)", "/01/06901234567908"],
            "/c": ["/c", "/c?code=K3M9", "/c?code=" + ShortCode(serial: code.serial)!.description],
            "/c/{code}": ["/c/K3M9", "/c/" + ShortCode(serial: "0000000000AA")!.description],
            "/certificates/{id}": ["/certificates/\(Hex.encode(certificate.id))"],
        ]
        #expect(htmlPaths == Set(requests.keys), "HTML routes without a request here: \(htmlPaths.subtracting(requests.keys))")
        try await server.application().test(.live) { client in
            for (_, targets) in requests {
                for uri in targets {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.accept: "text/html"])
                    let type = response.headers[.contentType] ?? ""
                    if type.hasPrefix("text/html") || type.hasPrefix("image/svg+xml") {
                        Self.expectDocumentHeaders(response, uri)
                    } else {
                        // A redirect or JSON answer still is never sniffed.
                        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    }
                }
            }
            // The page of a lookup answered in the channel pipeline, not the router.
            let page = try await client.execute(uri: target, method: .get)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            Self.expectDocumentHeaders(page, "pipeline lookup")
            let json = try await client.execute(uri: "/healthz", method: .get)
            #expect(json.headers[.xContentTypeOptions] == "nosniff")
            #expect(json.headers[.contentSecurityPolicy] == nil)
        }
    }

    /// Every route the router serves answers a method it does not take with 405 and
    /// an `Allow` header naming exactly what it takes (HEAD beside GET, OPTIONS always).
    @Test func undeclaredMethodsAre405WithAllow() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let routes = server.router().routes
        #expect(routes.count >= 15)
        var table: [String: Set<String>] = [:]
        for route in routes { table[route.path.description, default: []].insert(route.method.rawValue) }
        let methods = table
        try await server.application().test(.live) { client in
            for (path, taken) in methods {
                let concrete = "/" + path.split(separator: "/").map { part -> String in
                    if part == "**" { return "0/000" }
                    return part.hasPrefix(":") || part.hasPrefix("{") ? "06901234567892" : String(part)
                }.joined(separator: "/")
                var expected = taken
                if taken.contains("GET") { expected.insert("HEAD") }
                expected.insert("OPTIONS")
                for method in [HTTPRequest.Method.delete, .put, .patch, .trace, .post, .get] where !expected.contains(method.rawValue) {
                    let response = try await client.execute(uri: concrete, method: method)
                    #expect(response.status == .methodNotAllowed, "\(method) \(concrete): \(response.status)")
                    let allow = Set((response.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(allow == expected, "\(method) \(concrete): Allow \(allow)")
                    #expect(response.json?["error"]?.string == "method-not-allowed")
                }
            }
            // HEAD wherever GET is, without a body.
            let head = try await client.execute(uri: "/metrics", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            // The verify-pin path under /01 is 405 for GET, not the Digital Link fallback's 400.
            let pin = try await client.execute(uri: "/01/06901234567892/10/A/21/B/verify-pin", method: .get)
            #expect(pin.status == .methodNotAllowed)
            #expect(pin.headers[.allow] == "POST, OPTIONS")
            // OPTIONS lists the same methods.
            let options = try await client.execute(uri: "/api/v1/records", method: .options)
            #expect(options.headers[.allow] == "POST, OPTIONS")
            // A path no route serves stays 404.
            #expect(try await client.execute(uri: "/nowhere", method: .delete).status == .notFound)
        }
    }

    /// `/api/v1/report` is public aggregates with a per-client budget: past it, 429
    /// with Retry-After and a JSON error; another client is not affected.
    @Test func reportIsRateLimitedPerClient() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server { $0.reportRequestsPerClient = 3 }
        let uri = "/api/v1/report?from=2026-01-01&until=2026-12-31&by=party"
        try await server.application().test(.live) { client in
            for _ in 0..<3 {
                let response = try await client.execute(uri: uri, method: .get, headers: [.init("X-Forwarded-For")!: "203.0.113.7"])
                #expect(response.status == .ok)
            }
            let refused = try await client.execute(uri: uri, method: .get, headers: [.init("X-Forwarded-For")!: "203.0.113.7"])
            #expect(refused.status == .tooManyRequests)
            let wait = Int(refused.headers[.retryAfter] ?? "") ?? 0
            #expect((1...60).contains(wait))
            #expect(refused.json?["error"]?.string == "too-many-requests")
            let other = try await client.execute(uri: uri, method: .get, headers: [.init("X-Forwarded-For")!: "198.51.100.9"])
            #expect(other.status == .ok)
        }
    }
}
