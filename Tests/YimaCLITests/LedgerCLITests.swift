import Foundation
import Testing
import YimaTestSupport

/// The transparency log through the `yima` binary and a real `yima serve`: an
/// auditor and a verifier that trust only the log key and the authority key, a
/// record rewritten in the SQLite file, and a server that lies.
@Suite(.serialized) struct LedgerCLITests {
    static func yima(_ arguments: [String]) throws -> CommandResult { try CLITests.yima(arguments) }

    /// The current time at +08:00: an event after the unit issuance, which carries the clock's time.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: Date())
    }

    /// `yima serve` on a free loopback port.
    final class Server {
        let server: LocalServer
        var base: String { server.base }

        init(data: String) throws {
            server = try LocalServer(executable: CLITests.yima) { port in
                ["serve", "--data", data, "--port", "\(port)", "--log-level", "warning",
                 "--templates", Repository.root.appendingPathComponent("templates").path]
            }
        }

        func stop() { server.stop() }

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

        /// Records one more event now, growing the log by one leaf.
        func recordEvent(sourceLocation: SourceLocation = #_sourceLocation) throws {
            try coop.write("more.json", """
                {"type":"planting","batch":{"gtin":"\(RecordsCLITests.gtin)","lot":"\(RecordsCLITests.lot)"},
                 "time":"\(LedgerCLITests.now())","data":{"method":"补苗","note":"补植 12 株"}}
                """)
            let recorded = try LedgerCLITests.yima(["event", "record", "--data", coop.data, "--key", coop.key, "--file", coop.dir.file("more.json")])
            #expect(recorded.status == 0, "\(recorded.stderr)", sourceLocation: sourceLocation)
        }
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
        try setup.recordEvent()
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

extension LedgerCLITests {
    /// A static copy of the log's files (tlog-tiles are static by design), served by
    /// Python's http.server, which a test then edits to lie.
    final class Mirror {
        let folder: String
        let server: LocalServer
        var base: String { server.base }

        init(from source: Server, size: Int, in dir: TemporaryDirectory) throws {
            folder = dir.file("mirror-\(UUID().uuidString)")
            for path in ["checkpoint", "tile/0/000.p/\(size)", "tile/entries/000.p/\(size)"] {
                let file = (folder as NSString).appendingPathComponent(path)
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                #expect(try run("curl", ["-sf", "-o", file, "\(source.base)/\(path)"]).status == 0)
            }
            let folder = folder
            server = try LocalServer(executable: "/usr/bin/python3", arguments: { port in
                ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", folder]
            }, readyPath: "/checkpoint")
        }

        func stop() {
            // SIGKILL: Python's server may inherit a blocked SIGTERM from the test runner.
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
        }

        func edit(_ path: String, _ change: (inout Data) -> Void) throws {
            let url = URL(fileURLWithPath: (folder as NSString).appendingPathComponent(path))
            var data = try Data(contentsOf: url)
            change(&data)
            try data.write(to: url)
        }
    }

    /// `yima log prove` against an independent RFC 9162 §2.1.3.2 verifier (Python's
    /// hashlib): the printed path must lead from the stored record to the signed root.
    @Test func printedInclusionProofsLeadToTheCheckpointRoot() throws {
        let setup = try Setup()
        let checkpoint = try Self.yima(["log", "checkpoint", "--data", setup.coop.data])
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        let lines = checkpoint.output.split(separator: "\n").map(String.init)
        let size = try #require(Int(lines[1])), root = lines[2]
        let database = setup.coop.dir.file("data/yima.sqlite")
        let verifier = """
            import base64, hashlib, sys
            index, size, entry, root = int(sys.argv[1]), int(sys.argv[2]), bytes.fromhex(sys.argv[3]), sys.argv[4]
            h = lambda b: hashlib.sha256(b).digest()
            r, fn, sn = h(b"\\x00" + entry), index, size - 1
            for p in [base64.b64decode(l) for l in sys.stdin.read().split()]:
                if sn == 0: sys.exit("proof too long")
                if fn & 1 or fn == sn:
                    r = h(b"\\x01" + p + r)
                    while not fn & 1 and fn: fn, sn = fn >> 1, sn >> 1
                else:
                    r = h(b"\\x01" + r + p)
                fn, sn = fn >> 1, sn >> 1
            sys.exit(0 if sn == 0 and base64.b64encode(r).decode() == root else "root mismatch")
            """
        for leaf in [0, size / 2, size - 1] {
            let entry = try run("sqlite3", [database, "SELECT hex(envelope) FROM records WHERE seq = \(leaf)"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let proof = try Self.yima(["log", "prove", "--data", setup.coop.data, "--leaf", "\(leaf)"])
            #expect(proof.status == 0, "\(proof.stderr)")
            let checked = try run("python3", ["-c", verifier, "\(leaf)", "\(size)", entry, root], input: proof.stdout)
            #expect(checked.status == 0, "leaf \(leaf): \(checked.stderr)")
            // The same path for a different entry must not verify.
            let forged = try run("python3", ["-c", verifier, "\(leaf)", "\(size)", entry + "00", root], input: proof.stdout)
            #expect(forged.status != 0)
        }
        let beyond = try Self.yima(["log", "prove", "--data", setup.coop.data, "--leaf", "\(size)"])
        #expect(beyond.status != 0 && beyond.stderr.contains("\(size)"))
        let consistency = try Self.yima(["log", "prove", "--data", setup.coop.data, "--old-size", "1", "--size", "\(size)"])
        #expect(consistency.status == 0 && !consistency.output.isEmpty, "\(consistency.stderr)")
    }

    @Test func badProofsForeignKeysShrunkLogsAndMalformedNotesAreRefusedAndTheStateKept() throws {
        let setup = try Setup()
        let coop = setup.coop
        let server = try Server(data: coop.data)
        defer { server.stop() }
        let vkey = coop.dir.file("trust/log.vkey")
        #expect(try Self.yima(["audit", "--server", server.base, "--state", setup.state, "--key", vkey]).status == 0)
        let oldSize = Int(try coop.sql("SELECT COUNT(*) FROM records"))!
        let oldCheckpoint = try server.get("/checkpoint")
        try setup.recordEvent()
        let size = oldSize + 1
        let saved = try Data(contentsOf: URL(fileURLWithPath: setup.state))

        /// Audits `mirror` from the saved state: must fail with `status`, naming `expected`, leaving the state as it was.
        func refused(_ mirror: Mirror, _ expected: String, status: Int32 = 20, extra: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try Self.yima(["audit", "--server", mirror.base, "--state", setup.state, "--sample", "0"] + extra)
            #expect(result.status == status, "\(result.output)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(expected), "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(try Data(contentsOf: URL(fileURLWithPath: setup.state)) == saved, sourceLocation: sourceLocation)
        }

        // The untouched static copy audits fine (any plain web server or CDN can serve the log).
        let honest = try Mirror(from: server, size: size, in: coop.dir)
        let copy = coop.dir.file("copy.json")
        try saved.write(to: URL(fileURLWithPath: copy))
        let fine = try Self.yima(["audit", "--server", honest.base, "--state", copy])
        #expect(fine.status == 0, "\(fine.stderr)")
        honest.stop()

        // A truncated hash tile: the proof cannot be built.
        let truncated = try Mirror(from: server, size: size, in: coop.dir)
        try truncated.edit("tile/0/000.p/\(size)") { $0.removeLast(32) }
        try refused(truncated, "[consistency]")
        try refused(truncated, "is \((size - 1) * 32) bytes, expected \(size * 32)")
        truncated.stop()

        // Reordered hashes: the proof leads to another root.
        let reordered = try Mirror(from: server, size: size, in: coop.dir)
        try reordered.edit("tile/0/000.p/\(size)") { data in
            let last = data.subdata(in: (data.count - 32)..<data.count), before = data.subdata(in: (data.count - 64)..<(data.count - 32))
            data.replaceSubrange((data.count - 64)..<data.count, with: last + before)
        }
        try refused(reordered, "[consistency]")
        try refused(reordered, "proof leads to")
        reordered.stop()

        // An entry bundle that does not match the leaves.
        let entries = try Mirror(from: server, size: size, in: coop.dir)
        try entries.edit("tile/entries/000.p/\(size)") { data in data[data.count - 10] ^= 0x01 }
        try refused(entries, "[entries] entry \(size - 1) hashes to")
        try entries.edit("tile/entries/000.p/\(size)") { data in data.removeLast(3) }
        try refused(entries, "entry bundle tile/entries/000.p/\(size) is malformed")
        entries.stop()

        // A checkpoint signed by another key under the same log name.
        let other = try TemporaryDirectory()
        #expect(try Self.yima(["init", "--data", other.file("data")]).status == 0)
        let foreign = try Self.yima(["log", "checkpoint", "--data", other.file("data")])
        #expect(foreign.status == 0, "\(foreign.stderr)")
        let impostor = try Mirror(from: server, size: size, in: coop.dir)
        try impostor.edit("checkpoint") { $0 = Data(foreign.stdout) }
        try refused(impostor, "[checkpoint] the checkpoint does not verify with log key yima/data")
        try refused(impostor, "no signature from a known key")

        // Malformed notes.
        let honestNote = try server.get("/checkpoint")
        for (note, reason) in [(String(honestNote.prefix(while: { $0 != "\u{2014}" })), "[checkpoint]"),
                               (honestNote.replacingOccurrences(of: "\n\(size)\n", with: "\n0\(size)\n"), "[checkpoint]"),
                               ("", "[checkpoint]")] {
            try impostor.edit("checkpoint") { $0 = Data(note.utf8) }
            try refused(impostor, reason)
        }

        // A log that shrank: the auditor has seen the larger tree, the server shows the smaller one again.
        #expect(try Self.yima(["audit", "--server", server.base, "--state", setup.state]).status == 0)
        let grown = try Data(contentsOf: URL(fileURLWithPath: setup.state))
        try impostor.edit("checkpoint") { $0 = Data(oldCheckpoint.utf8) }
        let shrank = try Self.yima(["audit", "--server", impostor.base, "--state", setup.state])
        #expect(shrank.status == 20 && shrank.stderr.contains("[shrank] the log shrank from \(size) to \(oldSize) records"), "\(shrank.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.state)) == grown)
        impostor.stop()

        // A key other than the pinned one, and a state file that is not one.
        let wrongKey = try Self.yima(["audit", "--server", server.base, "--state", setup.state, "--key",
                                      try Self.yima(["log", "verifier", "--data", other.file("data")]).output])
        #expect(wrongKey.status == 20 && wrongKey.stderr.contains("[log-key]"), "\(wrongKey.stderr)")
        try "{}".write(toFile: coop.dir.file("bad.json"), atomically: true, encoding: .utf8)
        let badState = try Self.yima(["audit", "--server", server.base, "--state", coop.dir.file("bad.json")])
        #expect(badState.status == 20 && badState.stderr.contains("[state]"), "\(badState.stderr)")
        #expect(try String(contentsOfFile: coop.dir.file("bad.json"), encoding: .utf8) == "{}")
    }

    @Test func bundlesWithBadProofsOrAForeignCheckpointFail() throws {
        let setup = try Setup()
        let coop = setup.coop
        let bundle = try Self.yima(["bundle", setup.codes[0], "--data", coop.data])
        #expect(bundle.status == 0, "\(bundle.stderr)")
        let good = try #require(try JSONSerialization.jsonObject(with: bundle.stdout) as? [String: Any])

        func verify(_ object: [String: Any], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let file = coop.dir.file("edited.bundle")
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
            let result = try Self.yima(["verify", "--bundle", file, "--trust", setup.trust])
            #expect(result.status == 20, "\(result.output)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(expected), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        func editingRecord(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var object = good
            var records = object["records"] as! [[String: Any]]
            let index = records.firstIndex { ($0["proof"] as! [String]).count >= 2 }!
            change(&records[index])
            object["records"] = records
            return object
        }
        try verify(editingRecord { $0["proof"] = Array(($0["proof"] as! [String]).dropLast()) }, "[inclusion]")
        try verify(editingRecord { $0["proof"] = Array(($0["proof"] as! [String]).dropLast()) }, "nodes, expected")
        try verify(editingRecord { $0["proof"] = Array(($0["proof"] as! [String]).reversed()) }, "proof leads to root")
        try verify(editingRecord { $0["log_index"] = ($0["log_index"] as! Int) + 1000 }, "[inclusion]")

        // A checkpoint signed by another key, or none, or one for a smaller tree.
        let other = try TemporaryDirectory()
        #expect(try Self.yima(["init", "--data", other.file("data")]).status == 0)
        var foreign = good
        foreign["checkpoint"] = try Self.yima(["log", "checkpoint", "--data", other.file("data")]).output
        try verify(foreign, "[checkpoint]")
        var unsigned = good
        unsigned["checkpoint"] = String((good["checkpoint"] as! String).prefix(while: { $0 != "\u{2014}" }))
        try verify(unsigned, "[checkpoint]")

        // No log key to trust: a precise refusal, not a pass.
        try FileManager.default.removeItem(atPath: coop.dir.file("trust/log.vkey"))
        try JSONSerialization.data(withJSONObject: good, options: [.sortedKeys]).write(to: URL(fileURLWithPath: coop.dir.file("good.bundle")))
        let noKey = try Self.yima(["verify", "--bundle", coop.dir.file("good.bundle"), "--trust", setup.trust])
        #expect(noKey.status == 1 && noKey.stderr.contains("no log key"), "\(noKey.stderr)")
        let given = try Self.yima(["verify", "--bundle", coop.dir.file("good.bundle"), "--trust", setup.trust,
                                   "--log-key", try Self.yima(["log", "verifier", "--data", coop.data]).output])
        #expect(given.status == 0, "\(given.stderr)")
    }
}

extension LedgerCLITests {
    /// docs/test-vectors/bundle-v1 keeps verifying offline; one changed byte anywhere does not.
    @Test func publishedBundleVectorVerifies() throws {
        let folder = Repository.root.appendingPathComponent("docs/test-vectors/bundle-v1")
        let trust = folder.appendingPathComponent("trust").path
        let good = try Self.yima(["verify", "--bundle", folder.appendingPathComponent("unit.bundle").path, "--trust", trust])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.output.contains("5 records (2 events)"))
        // The checkpoint carries no time; the newest signed event time is a lower bound.
        #expect(good.output.contains("evidence as of at least 2026-11-22T16:25:26+00:00 (the newest signed event time"), "\(good.output)")
        // Its unit issuance predates units_root: it still verifies, and says what it cannot prove.
        #expect(good.output.contains("they prove how many codes were issued, not which"), "\(good.output)")
        let strict = try Self.yima(["verify", "--bundle", folder.appendingPathComponent("unit.bundle").path, "--trust", trust,
                                    "--require-issuance"])
        #expect(strict.status == 20 && strict.stderr.contains("[issuance]"), "\(strict.stderr)")
        let chinese = try Self.yima(["verify", "--lang", "zh", "--bundle", folder.appendingPathComponent("unit.bundle").path, "--trust", trust])
        #expect(chinese.output.contains("证据至少新到 2026-11-22T16:25:26+00:00"), "\(chinese.output)")
        let bytes = try Data(contentsOf: folder.appendingPathComponent("unit.bundle"))
        let dir = try TemporaryDirectory()
        // A byte of the checkpoint's root, of a signature, and of a proof node.
        for marker in ["GrRIogS0", "\"sig\":\"", "\"proof\":[\""] {
            let at = try #require(bytes.range(of: Data(marker.utf8))).upperBound + 2
            var edited = bytes
            edited[at] = edited[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try edited.write(to: URL(fileURLWithPath: dir.file("edited.bundle")))
            let result = try Self.yima(["verify", "--bundle", dir.file("edited.bundle"), "--trust", trust])
            #expect(result.status == 20, "\(marker): \(result.output)")
        }
    }
}
