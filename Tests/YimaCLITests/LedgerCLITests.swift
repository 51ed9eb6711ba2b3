import Foundation
import Testing
import YimaTestSupport

/// The transparency log through the `yima` binary and a real `yima serve`: an
/// auditor and a verifier that trust only the log key and the authority key, a
/// record rewritten in the SQLite file, and a server that lies.
@Suite(.serialized) struct LedgerCLITests {
    static func yima(_ arguments: [String]) throws -> CommandResult { try CLITests.yima(arguments) }

    /// `yima serve` on a free loopback port.
    final class Server {
        let process = Process()
        let base: String

        init(data: String) throws {
            let port = Int.random(in: 20_000..<60_000)
            base = "http://127.0.0.1:\(port)"
            process.executableURL = URL(fileURLWithPath: CLITests.yima)
            process.arguments = ["serve", "--data", data, "--port", "\(port)", "--log-level", "warning",
                                 "--templates", Repository.root.appendingPathComponent("templates").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 where try run("curl", ["-sf", "\(base)/healthz"]).status != 0 { usleep(100_000) }
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        func get(_ path: String, accept: String = "*/*") throws -> String {
            try run("curl", ["-sf", "-H", "Accept: \(accept)", base + path]).output
        }
    }

    /// A cooperative's folder with a planting event and two issued codes, and a
    /// verifier's trust folder: the authority's public key and the log's vkey.
    struct Setup {
        let coop: RecordsCLITests.Coop
        let codes: [String]
        var trust: String { coop.dir.file("trust") }
        var state: String { coop.dir.file("audit.json") }

        init() throws {
            coop = try RecordsCLITests.Coop()
            codes = try coop.issue(2, out: "labels")
            try FileManager.default.createDirectory(atPath: coop.dir.file("trust"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: coop.dir.file("data/authority/authority.pub"), toPath: coop.dir.file("trust/authority.pub"))
            let verifier = try LedgerCLITests.yima(["log", "verifier", "--data", coop.data])
            #expect(verifier.status == 0, "\(verifier.stderr)")
            try verifier.output.write(toFile: coop.dir.file("trust/log.vkey"), atomically: true, encoding: .utf8)
        }

        func path(_ code: String) -> String { String(code[code.range(of: "/01/")!.lowerBound...]) }
    }

    @Test func auditVerifyAndBundleHoldUntilARecordIsRewrittenInTheDatabase() throws {
        let setup = try Setup()
        let coop = setup.coop
        var server = try Server(data: coop.data)
        defer { server.stop() }
        let vkey = coop.dir.file("trust/log.vkey")

        // First audit pins the key and re-hashes every entry.
        let first = try Self.yima(["audit", "--server", server.base, "--state", setup.state, "--key", vkey])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.output.contains("first audit"))
        let size = Int(try coop.sql("SELECT COUNT(*) FROM records"))!
        #expect(first.output.contains("\(size) records"))

        // The whole chain, from the server, against the checkpoint.
        let online = try Self.yima(["verify", "--online", setup.codes[0], "--server", server.base, "--trust", setup.trust])
        #expect(online.status == 0, "\(online.stderr)")
        #expect(online.output.contains("every check holds"))

        // The same, with no network: from the data folder and from the server.
        let fromData = try Self.yima(["bundle", setup.codes[0], "--data", coop.data])
        #expect(fromData.status == 0, "\(fromData.stderr)")
        try fromData.stdout.write(to: URL(fileURLWithPath: coop.dir.file("unit.bundle")))
        let offline = try Self.yima(["verify", "--bundle", coop.dir.file("unit.bundle"), "--trust", setup.trust])
        #expect(offline.status == 0, "\(offline.stderr)")
        let fromServer = try Self.yima(["bundle", setup.codes[1], "--server", server.base, "--trust", setup.trust])
        #expect(fromServer.status == 0, "\(fromServer.stderr)")
        try fromServer.stdout.write(to: URL(fileURLWithPath: coop.dir.file("server.bundle")))
        #expect(try Self.yima(["verify", "--bundle", coop.dir.file("server.bundle"), "--trust", setup.trust]).status == 0)

        // The log grows; the next audit proves consistency and re-hashes only the new entry (and a sample).
        try coop.write("pruning.json", """
            {"type":"planting","batch":{"gtin":"\(RecordsCLITests.gtin)","lot":"\(RecordsCLITests.lot)"},
             "time":"\(coop.time(daysAgo: 0))","data":{"method":"补苗","note":"补植 12 株"}}
            """)
        let recorded = try Self.yima(["event", "record", "--data", coop.data, "--key", coop.key, "--file", coop.dir.file("pruning.json")])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let second = try Self.yima(["audit", "--server", server.base, "--state", setup.state, "--sample", "0"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.output.contains("from \(size), 1 entries re-hashed"))

        // An attacker rewrites one byte of the planting event in the SQLite file.
        let sequence = try Tamper.firstEvent(database: coop.database)
        try Tamper.rewritePayloadByte(database: coop.database, sequence: sequence, after: "株行距 ", from: UInt8(ascii: "3"), to: UInt8(ascii: "5"))
        server.stop()
        server = try Server(data: coop.data)
        let saved = try Data(contentsOf: URL(fileURLWithPath: setup.state))

        // The auditor: a full re-hash, a sampled one, and a new auditor all catch it; the state is unchanged.
        for arguments in [["--full"], ["--sample", "1"]] {
            let audit = try Self.yima(["audit", "--server", server.base, "--state", setup.state] + arguments)
            #expect(audit.status == 20, "\(arguments): \(audit.output)")
            #expect(audit.stderr.contains("[entries] entry \(sequence) hashes to"), "\(audit.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: setup.state)) == saved)
        }
        let fresh = try Self.yima(["audit", "--server", server.base, "--state", coop.dir.file("new.json"), "--key", vkey])
        #expect(fresh.status == 20 && fresh.stderr.contains("entry \(sequence)"))
        #expect(!FileManager.default.fileExists(atPath: coop.dir.file("new.json")))

        // The verifier names the altered record; so does a bundle made from the altered folder.
        let tampered = try Self.yima(["verify", "--online", setup.codes[0], "--server", server.base, "--trust", setup.trust])
        #expect(tampered.status == 20)
        #expect(tampered.stderr.contains("[signature] record \(sequence):"), "\(tampered.stderr)")
        let altered = try Self.yima(["bundle", setup.codes[0], "--data", coop.data])
        try altered.stdout.write(to: URL(fileURLWithPath: coop.dir.file("altered.bundle")))
        let check = try Self.yima(["verify", "--bundle", coop.dir.file("altered.bundle"), "--trust", setup.trust])
        #expect(check.status == 20 && check.stderr.contains("record \(sequence)"), "\(check.stderr)")
        // The bundle made before the rewrite still verifies: it carries the signed original.
        #expect(try Self.yima(["verify", "--bundle", coop.dir.file("unit.bundle"), "--trust", setup.trust]).status == 0)

        // The page and the JSON warn.
        let page = try server.get(setup.path(setup.codes[0]), accept: "text/html")
        #expect(page.contains("记录完整性校验失败") && page.contains("第 \(sequence) 条记录与透明日志不符"))
        let json = try server.get(setup.path(setup.codes[0]), accept: "application/json")
        #expect(json.contains("\"intact\":false") && json.contains("\"problem\":\"leaf-mismatch\""))
    }
}
