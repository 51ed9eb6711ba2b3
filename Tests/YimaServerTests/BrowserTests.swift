import Foundation
import Testing
import YimaTestSupport

/// A real browser (headless Chromium from Debian) opens a code's page on the real
/// `yima serve` binary: what a consumer's phone would show, in Chinese by default and
/// in English on request. Screenshots are kept in .build/test-artifacts/browser/.
@Suite(.serialized) struct BrowserTests {
    static let artifacts = Repository.root.appendingPathComponent(".build/test-artifacts/browser")

    /// Starts `yima serve` on a free loopback port over the fixture's data folder.
    static func serve(_ fixture: ServerFixture) throws -> (process: Process, base: String) {
        let server = try LocalServer(executable: Repository.builtProduct("yima")) { port in
            ["serve", "--data", fixture.directory.path, "--host", "127.0.0.1", "--port", "\(port)",
             "--templates", Repository.root.appendingPathComponent("templates").path, "--log-level", "warning"]
        }
        return (server.process, server.base)
    }

    /// Chromium's rendered DOM and a screenshot of `url`.
    static func browse(_ url: String, language: String, screenshot name: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            Issue.record("chromium is not installed (Debian package chromium); run `make deps`")
            return ""
        }
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        // A fresh profile each time, so the Accept-Language sent is the one asked for.
        let profile = try TemporaryDirectory()
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                     "--accept-lang=\(language)", "--lang=\(language)", "--window-size=412,1400"]
        var environment = ProcessInfo.processInfo.environment
        environment["LANGUAGE"] = language.replacingOccurrences(of: "-", with: "_")
        let shot = artifacts.appendingPathComponent(name).path
        let picture = try run("chromium", flags + ["--screenshot=\(shot)", url], environment: environment)
        #expect(picture.status == 0, "\(picture.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "screenshot \(shot)")
        let dom = try run("chromium", flags + ["--dump-dom", url], environment: environment)
        #expect(dom.status == 0, "\(dom.stderr)")
        return dom.output
    }

    @Test func consumerPageInChineseAndEnglish() throws {
        let fixture = try ServerFixture()
        let (server, base) = try Self.serve(fixture)
        defer { server.terminate(); server.waitUntilExit() }
        let code = try #require(fixture.codes.first)
        let url = base + ServerFixture.target(code)

        let chinese = try Self.browse(url, language: "zh-CN", screenshot: "lookup-zh.png")
        #expect(chinese.contains("正品码"), "the page does not say the code is genuine")
        #expect(chinese.contains("周至猕猴桃") && chinese.contains("周至县猕猴桃专业合作社"))
        #expect(chinese.contains("楼观镇周一村 3 号地块"))

        let english = try Self.browse(url + "&lang=en", language: "en-US", screenshot: "lookup-en.png")
        #expect(english.contains("Genuine") && english.contains("Zhouzhi kiwifruit"))

        // A code that was never issued gets a clear page, not a chain.
        let forged = url.replacingOccurrences(of: "/21/", with: "/21/X")
        let refused = try Self.browse(forged, language: "zh-CN", screenshot: "lookup-not-issued.png")
        #expect(!refused.contains("周至县猕猴桃专业合作社"))
    }
}
