import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YimaCodes
import YimaServer
import YimaService
import YimaTestSupport

/// What the lookup server answers for what labels print: short codes and SSCC Digital Links.
@Suite struct LabelRouteTests {
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

    @Test func anSSCCDigitalLinkAnswersWhatTheCartonHolds() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let serials = try fixture.codes.prefix(3).map { try UnitCode.parse($0).serial }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        let units = serials.map { "\"\($0)\"" }.joined(separator: ",")
        try fixture.service.recording.submit(fixture.signedEvent("packing", formatter.string(from: Date()),
                                                       #"{"sscc":"069200000000000012","units":[\#(units)]}"#))
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/00/069200000000000012", method: .get)
            #expect(response.status == .ok)
            let json = try #require(response.json)
            #expect(json["count"]?.integer == 3)
            #expect(Set(json["units"]?.array?.compactMap(\.string) ?? []) ==
                    Set(serials.map { "/01/\(ServerFixture.gtin)/10/\(ServerFixture.lot)/21/\($0)" }))
            let malformed = try await client.execute(uri: "/00/069200000000000013", method: .get)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json?["error"]?.string == "malformed-sscc")
            let unknown = try await client.execute(uri: "/00/069200000000000029", method: .get)
            #expect(unknown.status == .notFound)
        }
    }
}
