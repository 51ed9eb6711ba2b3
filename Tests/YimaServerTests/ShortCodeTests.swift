import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YimaCodes
import YimaServer
import YimaService
import YimaTestSupport

@Suite struct ShortCodeRouteTests {
    @Test func aTypedShortCodeRedirectsToTheUnitsSignedCode() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[1])
        let short = try #require(ShortCode(serial: code.serial))
        try await server.application().test(.router) { client in
            // Lower case, spaces instead of hyphens: how people type.
            let typed = short.description.lowercased().replacingOccurrences(of: "-", with: "%20")
            let response = try await client.execute(uri: "/c?code=\(typed)", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == ServerFixture.target(fixture.codes[1]))
            // The redirect target is the genuine code's page.
            let page = try await client.execute(uri: response.headers[.location]!, method: .get,
                                                headers: [.accept: "application/json"])
            #expect(page.status == .ok)

            let path = try await client.execute(uri: "/c/\(short)?lang=en", method: .get)
            #expect(path.status == .seeOther)
            #expect(path.headers[.location]?.hasSuffix("&lang=en") == true)

            var typo = Array(short.description)
            typo[0] = typo[0] == "A" ? "B" : "A"
            let wrong = try await client.execute(uri: "/c/\(String(typo))", method: .get)
            #expect(wrong.status == .badRequest)
            #expect(String(buffer: wrong.body).contains("不是有效的验证码"))

            let unknown = try await client.execute(uri: "/c/\(ShortCode(serial: "0000000000AB")!)", method: .get)
            #expect(unknown.status == .notFound)

            let form = try await client.execute(uri: "/c?lang=en", method: .get)
            #expect(form.status == .ok)
            #expect(String(buffer: form.body).contains("<form method=\"get\" action=\"/c\">"))
        }
    }
}
