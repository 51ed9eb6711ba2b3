import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaRecords
@testable import YimaServer

/// The lookup's hot path: JSON written without a tree, pages spliced from a
/// pre-rendered template, and both caches following the batch's chain.
@Suite struct HotPathTests {
    @Test func jsonWriterEscapesAsCanonicalJSON() {
        for text in ["plain", "quote \" and \\ backslash", "controls \u{0}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}", "中文 ✔ 🥝", ""] {
            var buffer = ByteBuffer()
            JSONWriter.writeString(text, to: &buffer)
            #expect(Array(buffer.readableBytesView) == CanonicalJSON.encode(.string(text)), "\(text.debugDescription)")
        }
        for number: Int64 in [0, 7, 10, -1, 1234567890123, -9007199254740991, .max, .min] {
            var buffer = ByteBuffer()
            JSONWriter.writeDecimal(number, to: &buffer)
            #expect(String(buffer: buffer) == String(number))
        }
        var out = JSONWriter(capacity: 64)
        out.beginObject()
        out.key("a"); out.integer(1)
        out.key("b"); out.beginObject(); out.key("c"); out.bool(false); out.endObject()
        out.key("d"); out.raw(Array(#"[1,2]"#.utf8))
        out.raw(Array(#""e":"f""#.utf8))
        out.endObject()
        #expect(String(buffer: out.buffer) == #"{"a":1,"b":{"c":false},"d":[1,2],"e":"f"}"#)
    }

    @Test func pageTemplateFillsSlotsEscapedAsMustacheDoes() {
        let rendered = "<p>\(PageTemplate.Slot.count.marker) / \(PageTemplate.Slot.clients.marker)</p>"
            + "<a href=\"\(PageTemplate.Slot.target.marker)lang=en\">\(PageTemplate.Slot.firstScan.marker)</a>"
        let template = PageTemplate(rendered: rendered)
        #expect(template.pieces.count == 9)
        let page = template.render { slot in
            switch slot {
            case .count: "12"
            case .clients: "3"
            case .firstScan: ""
            case .target: "/01/x?s=1&a=<'\">"
            }
        }
        #expect(String(buffer: page) == "<p>12 / 3</p><a href=\"/01/x?s=1&amp;a=&lt;&#39;&quot;&gt;lang=en\"></a>")
    }

    @Test func pagesAndJSONFollowTheChainAndTheScanCount() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[1])
        try await server.application().test(.router) { client in
            // Pages cached in both languages, then the same page again with the next count.
            let first = try await client.execute(uri: target, method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "10.0.0.7"])
            #expect(first.text.contains("此码已被查询 1 次（1 台不同设备）"))
            let english = try await client.execute(uri: target + "&lang=en", method: .get)
            #expect(english.text.contains("This code has been checked 2 times from 2 different devices."))
            #expect(english.text.contains("href=\"\(target.replacingOccurrences(of: "&", with: "&amp;"))&amp;lang=zh\""))
            let second = try await client.execute(uri: target, method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "10.0.0.7"])
            #expect(second.text.contains("此码已被查询 3 次（2 台不同设备）"))
            #expect(!second.text.contains("\u{E000}"))
            // Apart from the count, the second page is the first byte for byte.
            #expect(second.text.replacingOccurrences(of: "查询 3 次（2 台", with: "查询 1 次（1 台") == first.text)
            #expect(!first.text.contains("周至县冷库 2 号"))

            // The chain grows through the write API: both cached forms must show it.
            let storing = try fixture.signedEvent("storing", WriteTests.now(), #"{"location":"周至县冷库 2 号","temperature":"2"}"#)
            #expect(try await WriteTests.post(client, storing.text).status == .created)
            let page = try await client.execute(uri: target, method: .get)
            #expect(page.text.contains("周至县冷库 2 号"))
            #expect(page.text.contains("此码已被查询 4 次"))
            let englishAfter = try await client.execute(uri: target + "&lang=en", method: .get)
            #expect(englishAfter.text.contains("周至县冷库 2 号"))
            let json = try await client.execute(uri: target + "&format=json", method: .get)
            #expect(json.json?["events"]?.array?.count == 6)
            #expect(json.json?["events"]?.array?.last?["id"]?.string == storing.recordID.hex)
            #expect(json.json?["scan"]?["count"]?.integer == 6)
        }
    }

    @Test func codeEchoesTheSchemeAndHostAsAddressed() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.router) { client in
            let plain = try await client.execute(uri: target + "&format=json", method: .get,
                                                 headers: [HTTPField.Name("Host")!: "trace.example.cn"])
            let code = try #require(plain.json?["code"]?.string)
            #expect(code.hasPrefix("http://"))
            #expect(code.hasSuffix(target))
            // Behind a trusted TLS proxy the scheme is the one the phone used.
            let proxied = try await client.execute(uri: target + "&format=json", method: .get,
                                                   headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(proxied.json?["code"]?.string?.hasPrefix("https://") == true)
            #expect(proxied.json?["code"]?.string?.hasSuffix(target) == true)
        }
    }
}
