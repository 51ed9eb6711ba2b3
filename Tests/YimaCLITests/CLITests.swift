import Foundation
import Testing
import YimaTestSupport

/// Drives the `yima` binary the way producers and regulators do, and checks what
/// they would see: files, exit statuses, messages, and nothing left half-done.
@Suite struct CLITests {
    static let yima = Repository.builtProduct("yima")

    static func yima(_ arguments: [String], input: Data? = nil) throws -> CommandResult {
        try run(yima, arguments, input: input, environment: ["YIMA_LANG": "en", "PATH": "/usr/bin:/bin"])
    }

    @Test(arguments: ["ed25519", "p256", "sm2"])
    func keysGenerateWritesOwnerOnlyPKCS8(_ algorithm: String) throws {
        let dir = try TemporaryDirectory()
        let result = try Self.yima(["keys", "generate", "--alg", algorithm, "--out", dir.file("farm")])
        #expect(result.status == 0, "\(result.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("farm.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try String(contentsOfFile: dir.file("farm.key"), encoding: .utf8).hasPrefix(pemHeader("PRIVATE KEY")))
        // openssl reads both files and agrees they are one pair.
        let derived = try run("openssl", ["pkey", "-in", dir.file("farm.key"), "-pubout"])
        #expect(derived.output == (try String(contentsOfFile: dir.file("farm.pub"), encoding: .utf8)))
        // The private key never reaches the terminal.
        let body = try String(contentsOfFile: dir.file("farm.key"), encoding: .utf8).split(separator: "\n")[1]
        #expect(!result.output.contains(body) && !result.stderr.contains(body))
    }

    @Test func passphraseProtectedKeys() throws {
        let dir = try TemporaryDirectory()
        try "correct horse\n".write(toFile: dir.file("pass"), atomically: true, encoding: .utf8)
        try "wrong\n".write(toFile: dir.file("wrong"), atomically: true, encoding: .utf8)
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("k"), "--passphrase-file", dir.file("pass")]).status == 0)
        #expect(try String(contentsOfFile: dir.file("k.key"), encoding: .utf8).hasPrefix(pemHeader("ENCRYPTED PRIVATE KEY")))
        #expect(try run("openssl", ["pkey", "-in", dir.file("k.key"), "-passin", "pass:correct horse", "-noout"]).status == 0)

        let issue = ["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "L1", "--count", "2",
                     "--format", "txt", "--out", dir.file("out")]
        let missing = try Self.yima(issue)
        #expect(missing.status == 1 && missing.stderr.contains("passphrase is required"))
        let wrong = try Self.yima(issue + ["--passphrase-file", dir.file("wrong")])
        #expect(wrong.status == 1 && wrong.stderr.contains("wrong passphrase"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
        #expect(try Self.yima(issue + ["--passphrase-file", dir.file("pass")]).status == 0)
    }

    @Test func keysAreNeverOverwritten() throws {
        let dir = try TemporaryDirectory()
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("k")]).status == 0)
        let before = try String(contentsOfFile: dir.file("k.key"), encoding: .utf8)
        let again = try Self.yima(["keys", "generate", "--out", dir.file("k")])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: dir.file("k.key"), encoding: .utf8) == before)
        #expect(try Self.yima(["keys", "generate", "--alg", "rsa", "--out", dir.file("r")]).status == 64)
    }

    @Test func issueWritesCodesAndLabelsThatDecodeAndVerify() throws {
        let dir = try TemporaryDirectory()
        #expect(try Self.yima(["keys", "generate", "--alg", "sm2", "--out", dir.file("keys/coop")]).status == 0)
        let issued = try Self.yima(["issue", "--key", dir.file("keys/coop.key"), "--gtin", "06920000000012",
                                    "--lot", "2026-APPLE-01", "--count", "4", "--format", "txt,svg,png",
                                    "--base-url", "https://trace.example.cn", "--out", dir.file("labels"), "--json"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let summary = try JSONSerialization.jsonObject(with: issued.stdout) as? [String: Any]
        #expect(summary?["count"] as? Int == 4)
        // A 16-character host and a 13-character lot: version 9 at level Q.
        #expect((summary?["qrVersion"] as? Int ?? 99) <= 9)

        let codes = try String(contentsOfFile: dir.file("labels/codes.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(codes.count == 4 && Set(codes).count == 4)
        for code in codes {
            #expect(code.hasPrefix("https://TRACE.EXAMPLE.CN/01/06920000000012/10/2026-APPLE-01/21/"))
            let serial = code.split(separator: "/21/")[1].split(separator: "?")[0]
            // Each label decodes, with a real decoder, to exactly its line.
            let png = try run("zbarimg", ["--quiet", "--raw", "-Sbinary", dir.file("labels/\(serial).png")])
            #expect(png.output == code)
            #expect(try run("rsvg-convert", ["-w", "600", dir.file("labels/\(serial).svg"), "-o", dir.file("\(serial).png")]).status == 0)
            #expect(try run("zbarimg", ["--quiet", "--raw", "-Sbinary", dir.file("\(serial).png")]).output == code)
        }

        try FileManager.default.createDirectory(atPath: dir.file("trust"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir.file("keys/coop.pub"), toPath: dir.file("trust/coop.pub"))
        let verified = try Self.yima(["verify", "--trust", dir.file("trust"), "--file", dir.file("labels/codes.txt"), "--json"])
        #expect(verified.status == 0, "\(verified.output)")
        let verdicts = try JSONSerialization.jsonObject(with: verified.stdout) as? [[String: Any]] ?? []
        #expect(verdicts.count == 4 && verdicts.allSatisfy { $0["verdict"] as? String == "genuine" && $0["algorithm"] as? String == "sm2" })
    }

    @Test func verifyExitStatusNamesTheWorstFinding() throws {
        let dir = try TemporaryDirectory()
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("trust/a")]).status == 0)
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("other")]).status == 0)
        try FileManager.default.moveItem(atPath: dir.file("trust/a.key"), toPath: dir.file("a.key"))
        let issue = { (key: String, out: String) throws -> String in
            #expect(try Self.yima(["issue", "--key", key, "--gtin", "06920000000012", "--lot", "L", "--count", "1",
                                   "--format", "txt", "--out", out]).status == 0)
            return try String(contentsOfFile: out + "/codes.txt", encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        let genuine = try issue(dir.file("a.key"), dir.file("a"))
        let unknown = try issue(dir.file("other.key"), dir.file("b"))
        let forged = genuine.replacingOccurrences(of: "/10/L/", with: "/10/M/")
        let trust = ["--trust", dir.file("trust")]

        #expect(try Self.yima(["verify", genuine] + trust).status == 0)
        #expect(try Self.yima(["verify", forged] + trust).status == 10)
        #expect(try Self.yima(["verify", unknown] + trust).status == 11)
        #expect(try Self.yima(["verify", "not a code"] + trust).status == 12)
        #expect(try Self.yima(["verify", genuine, "not a code", unknown, forged] + trust).status == 10)
        #expect(try Self.yima(["verify", "--file", "-"] + trust, input: Data("\(genuine)\n\n\(genuine)\n".utf8)).status == 0)
        #expect(try Self.yima(["verify", genuine, "--trust", dir.file("nowhere")]).status == 1)
        #expect(try Self.yima(["verify"] + trust).status == 64)

        let english = try Self.yima(["verify", forged] + trust)
        #expect(english.output.contains("forged: the signature does not match trusted key"))
        let chinese = try run(Self.yima, ["verify", forged] + trust, environment: ["PATH": "/usr/bin:/bin"])
        #expect(chinese.output.contains("伪造"))
        let malformed = try Self.yima(["verify", "https://x.cn/01/06920000000013/10/L/21/S?s=1"] + trust)
        #expect(malformed.output.contains("GTIN 06920000000013 has a bad check digit (expected 2)"))
    }

    @Test func badIssueInputLeavesNothingBehind() throws {
        let dir = try TemporaryDirectory()
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("k")]).status == 0)
        try "not a key".write(toFile: dir.file("junk.key"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("full"), withIntermediateDirectories: true)
        try "keep me".write(toFile: dir.file("full/keep.txt"), atomically: true, encoding: .utf8)
        let base = ["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "L", "--count", "3"]

        let cases: [([String], String)] = [
            (["issue", "--key", dir.file("k.key"), "--gtin", "06920000000013", "--lot", "L", "--count", "3", "--out", dir.file("o1")], "bad check digit"),
            (["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "lot one", "--count", "3", "--out", dir.file("o2")], "outside the alphabet"),
            (["issue", "--key", dir.file("junk.key"), "--gtin", "06920000000012", "--lot", "L", "--count", "3", "--out", dir.file("o3")], "malformed key"),
            (base + ["--out", dir.file("o4"), "--format", "txt,gif"], "unknown label format"),
            (base + ["--out", dir.file("o5"), "--base-url", "ftp://x"], "must start with https://"),
            (base + ["--out", dir.file("full")], "not an empty folder"),
            (base + ["--out", "/proc/yima-test/out"], "cannot create output"),
            (["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "L", "--count", "0", "--out", dir.file("o6")], "count must be"),
        ]
        for (arguments, message) in cases {
            let result = try Self.yima(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        for name in ["o1", "o2", "o3", "o4", "o5", "o6"] { #expect(!FileManager.default.fileExists(atPath: dir.file(name))) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("full")) == ["keep.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["full", "junk.key", "k.key", "k.pub"])
    }

    /// A `kill -9` in the middle of a long issuance leaves no output folder.
    @Test func killedIssuanceLeavesNoPartialOutput() throws {
        let dir = try TemporaryDirectory()
        #expect(try Self.yima(["keys", "generate", "--out", dir.file("k")]).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.yima)
        process.arguments = ["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "L",
                             "--count", "10000000", "--format", "txt", "--out", dir.file("big")]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until the staging folder has codes in it, then kill.
        let deadline = Date().addingTimeInterval(120)
        var staged: String?
        while Date() < deadline, staged == nil {
            usleep(50_000)
            staged = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(".big.partial-") }
            if let name = staged, ((try? FileManager.default.attributesOfItem(atPath: dir.file(name + "/codes.txt"))[.size]) as? NSNumber)?.intValue ?? 0 == 0 {
                staged = nil
            }
        }
        #expect(staged != nil)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: dir.file("big")))
    }
}

/// Regression tests for issuance sizes and key names.
@Suite struct IssueSizeTests {
    /// More codes than one minting window (16,384): every one is written, once.
    @Test func issuesMoreThanOneWindow() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLITests.yima(["keys", "generate", "--out", dir.file("k")]).status == 0)
        let result = try CLITests.yima(["issue", "--key", dir.file("k.key"), "--gtin", "06920000000012", "--lot", "L",
                                        "--count", "20000", "--format", "txt", "--out", dir.file("out"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: dir.file("out/codes.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20000)
        #expect(Set(lines).count == 20000)
        let summary = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        #expect(summary?["count"] as? Int == 20000)
    }

    /// A one-letter key name in the working directory (Foundation's path helpers trap on it).
    @Test func oneLetterKeyName() throws {
        let dir = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.yima)
        process.arguments = ["keys", "generate", "--out", "k"]
        process.currentDirectoryURL = dir.url
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: dir.file("k.key")))
    }
}
