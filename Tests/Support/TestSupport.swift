import Foundation

/// What an external command printed and how it ended.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: String
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs an external program (openssl, zbarimg, rsvg-convert, our own `yima`) the
/// way a third party would, so tests cross-check us against independent tools.
public func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                environment: [String: String]? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(input) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: outData,
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory, removed when the test's scope ends.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("yima-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Paths inside the repository.
public enum Repository {
    /// The repository root: this file lives in Tests/Support/.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Third-party conformance data vendored for the tests (`Tests/Conformance/`, sources
    /// and licences in each folder's SOURCES.md).
    public static let conformance = root.appendingPathComponent("Tests/Conformance")

    /// A binary built by SwiftPM next to the test bundle (e.g. `yima`).
    public static func builtProduct(_ name: String) -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let bundle = Bundle.main.bundleURL
        for dir in [executable, bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }
}

/// The first line of a PEM block with `label` (RFC 7468 §2).
public func pemHeader(_ label: String) -> String { "-----BEGIN \(label)-----" }

/// `yima serve` (or any server that answers `readyPath`) started on a free loopback
/// port for a test. Loaded machines start slowly and a random port can be taken: the
/// server gets up to 60 s to answer, and another port (three tries) if it exits; its
/// standard error is kept and reported if it never comes up.
public final class LocalServer: @unchecked Sendable {
    public let process: Process
    public let base: String

    /// With `log`, the server's output and errors are kept in that file (for a test to read).
    public init(executable: String, arguments: (_ port: Int) -> [String], readyPath: String = "/healthz",
                environment: [String: String]? = nil, log keptLog: String? = nil) throws {
        var lastError = ""
        for _ in 0..<3 {
            let port = Int.random(in: 20_000..<60_000)
            let log = keptLog.map(URL.init(fileURLWithPath:))
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("yima-server-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(port)
            if let environment { process.environment = environment }
            let output = try FileHandle(forWritingTo: log)
            // The server logs to standard output: kept with its errors when asked for.
            process.standardOutput = keptLog == nil ? FileHandle.nullDevice : output
            process.standardError = output
            try process.run()
            let base = "http://127.0.0.1:\(port)"
            for _ in 0..<600 where process.isRunning {
                if try run("curl", ["-sf", "-o", "/dev/null", base + readyPath]).status == 0 {
                    self.process = process
                    self.base = base
                    if keptLog == nil { try? FileManager.default.removeItem(at: log) }
                    return
                }
                usleep(100_000)
            }
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: log)
        }
        throw LocalServerError(message: "the server did not come up on three ports: \(lastError)")
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

public struct LocalServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
