import Foundation
import Testing
import YimaTestSupport

/// Private keys, the server secret, passphrases, PINs and database passwords never
/// reach a log or a terminal (docs/SECURITY.md §Secrets in logs): the CLI and the
/// server go through real operations, good and bad, and everything they printed is
/// searched for every secret in every spelling a leak could take.
@Suite struct SecretLeakTests {
    /// Everything the commands and the server printed.
    final class Transcript: @unchecked Sendable {
        var text = ""

        @discardableResult
        func yima(_ arguments: [String], succeeds: Bool = true) throws -> CommandResult {
            let result = try CLITests.yima(arguments)
            text += result.output + "\n" + result.stderr + "\n"
            #expect((result.status == 0) == succeeds, "\(arguments): \(result.status) \(result.stderr)")
            return result
        }
    }

    /// The spellings of raw key bytes a log could carry.
    static func spellings(_ bytes: [UInt8]) -> [String] {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let base64 = Data(bytes).base64EncodedString()
        let base64url = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return [hex, hex.uppercased(), String(base64.prefix(40)), String(base64url.prefix(40))]
    }

    /// The private scalar of a PKCS#8 key, as `openssl pkey -text` prints it (`priv:`).
    static func privateBytes(_ keyFile: String, passphrase: String? = nil) throws -> [UInt8] {
        var arguments = ["pkey", "-in", keyFile, "-noout", "-text"]
        if let passphrase { arguments += ["-passin", "pass:\(passphrase)"] }
        let text = try run("openssl", arguments).output
        let lines = text.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("priv:") || $0.hasPrefix("private-key:") }) else { return [] }
        var hex = ""
        for line in lines[(start + 1)...] {
            guard line.hasPrefix(" ") else { break }
            hex += line.filter { $0.isHexDigit }
        }
        return stride(from: 0, to: hex.count - 1, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    /// The base64 lines of a PEM file's body.
    static func pemLines(_ file: String) throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("-----") && $0.count >= 16 }.map(String.init)
    }

    @Test func logsAndTerminalsHoldNoSecret() throws {
        let dir = try TemporaryDirectory()
        let data = dir.file("data"), transcript = Transcript()
        let passphrase = "correct horse battery staple 7731"
        try (passphrase + "\n").write(toFile: dir.file("pass"), atomically: true, encoding: .utf8)
        try "wrong\n".write(toFile: dir.file("wrong"), atomically: true, encoding: .utf8)
        let signer = ["--key", dir.file("coop.key"), "--passphrase-file", dir.file("pass")]

        try transcript.yima(["init", "--data", data, "--demo-authority", "--alg", "ed25519"])
        try transcript.yima(["keys", "generate", "--alg", "ed25519", "--out", dir.file("coop"), "--passphrase-file", dir.file("pass")])
        try transcript.yima(["keys", "generate", "--alg", "sm2", "--out", dir.file("lab")])
        let seed = Repository.root.appendingPathComponent("demo-data").path
        let party = try String(contentsOfFile: seed + "/parties/cooperative.json", encoding: .utf8)
            .replacingOccurrences(of: "../../keys/cooperative.pub", with: dir.file("coop.pub"))
        try party.write(toFile: dir.file("party.json"), atomically: true, encoding: .utf8)
        try transcript.yima(["party", "add", "--data", data, "--authority-key", data + "/authority/authority.key", "--file", dir.file("party.json")])
        try transcript.yima(["product", "add", "--data", data, "--file", seed + "/products/apples.json"] + signer)
        try transcript.yima(["batch", "create", "--data", data, "--file", seed + "/batches/apples.json"] + signer)
        try transcript.yima(["issue", "--data", data, "--batch", "02951322300010/MX-2026-APL-07", "--count", "3", "--pins",
                             "--format", "txt", "--out", dir.file("labels")] + signer)
        // Bad operations: a wrong passphrase, a key that is not the signer's, a malformed draft, an unreachable database.
        try transcript.yima(["product", "add", "--data", data, "--file", seed + "/products/pepper.json",
                             "--key", dir.file("coop.key"), "--passphrase-file", dir.file("wrong")], succeeds: false)
        try transcript.yima(["product", "add", "--data", data, "--file", seed + "/products/pepper.json", "--key", dir.file("lab.key")],
                            succeeds: false)
        try "{\"type\":\"harvest\"".write(toFile: dir.file("bad.json"), atomically: true, encoding: .utf8)
        try transcript.yima(["event", "record", "--data", data, "--file", dir.file("bad.json")] + signer, succeeds: false)
        try transcript.yima(["report", "--data", dir.path, "--database", "postgres://county:s3cret-pw-9931@127.0.0.1:1/yima",
                             "--from", "2026-01-01", "--until", "2026-01-02"], succeeds: false)

        // The server, at its most talkative level, through good and bad requests.
        let log = dir.file("server.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let port = 20_000 + Int.random(in: 0..<20_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLITests.yima)
        server.arguments = ["serve", "--data", data, "--port", String(port), "--log-level", "trace",
                            "--templates", Repository.root.appendingPathComponent("templates").path]
        server.environment = ["PATH": "/usr/bin:/bin"]
        server.standardOutput = output
        server.standardError = output
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<200 where !up {
            usleep(100_000)
            up = (try? run("curl", ["-sf", base + "/healthz"]))?.status == 0
        }
        #expect(up, "the server did not start")
        let codes = try String(contentsOfFile: dir.file("labels/codes.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        let pins = try String(contentsOfFile: dir.file("labels/pins.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        let path = { (code: String) in String(code[code.range(of: "/01/")!.lowerBound...]) }
        for request in [
            ["-s", base + path(codes[0])], ["-s", base + path(codes[1]).replacingOccurrences(of: "s=1", with: "s=2")],
            ["-s", base + "/01/02951322300010/10/MX-2026-APL-07/21/\(pins[0][0])/verify-pin", "-d", #"{"pin":"\#(pins[0][1])"}"#],
            ["-s", base + "/01/02951322300010/10/MX-2026-APL-07/21/\(pins[1][0])/verify-pin", "-d", #"{"pin":"0000"}"#],
            ["-s", base + "/api/v1/records", "-d", "{not json"], ["-s", "-X", "DELETE", base + "/api/v1/records"],
            ["-s", base + "/checkpoint"], ["-s", base + "/api/v1/report?from=2026-01-01&until=2025-01-01"],
        ] {
            _ = try run("curl", request)
        }
        server.terminate()
        server.waitUntilExit()
        try output.close()
        transcript.text += try String(contentsOfFile: log, encoding: .utf8)
        #expect(transcript.text.contains("serving"), "the server's log was captured")

        // Every secret, in every spelling.
        var secrets: [String: String] = ["passphrase": passphrase, "database password": "s3cret-pw-9931"]
        for (serial, pin) in pins.map({ ($0[0], $0[1]) }) { secrets["PIN of \(serial)"] = pin }
        var keys: [(String, String?)] = [(data + "/authority/authority.key", nil), (dir.file("coop.key"), passphrase), (dir.file("lab.key"), nil)]
        if FileManager.default.fileExists(atPath: data + "/log/log.key") { keys.append((data + "/log/log.key", nil)) }
        for (file, passphrase) in keys {
            for (index, line) in try Self.pemLines(file).enumerated() { secrets["\(file) PEM line \(index)"] = line }
            let scalar = try Self.privateBytes(file, passphrase: passphrase)
            if file.hasSuffix("log.key") == false { #expect(scalar.count == 32, "\(file): the test reads its private scalar") }
            for (index, spelling) in Self.spellings(scalar).enumerated() where !scalar.isEmpty { secrets["\(file) raw key \(index)"] = spelling }
        }
        let serverSecret = Array(try Data(contentsOf: URL(fileURLWithPath: data + "/server.secret")))
        #expect(serverSecret.count >= 16)
        for (index, spelling) in Self.spellings(serverSecret).enumerated() { secrets["server secret \(index)"] = spelling }

        #expect(secrets.count > 20)
        for (name, secret) in secrets {
            #expect(!transcript.text.contains(secret), "\(name) leaked into a log or terminal")
        }
        for marker in ["PRIVATE KEY", "BEGIN EC", "BEGIN ENCRYPTED"] {
            #expect(!transcript.text.contains(marker), "\(marker) printed")
        }
    }
}
