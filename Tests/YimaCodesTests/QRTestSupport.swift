import Foundation
import Testing
@testable import YimaCodes

/// Helpers for the QR tests: external reference tools (zbarimg, rsvg-convert, qrencode),
/// temporary files, and readers that turn rendered output back into modules.
enum QRTestSupport {
    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Looks `name` up in PATH; a missing tool fails the test instead of skipping it.
    static func tool(_ name: String, package: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ToolFailure(description: "\(name) is not installed (Debian package \(package)); run `make deps`")
    }

    /// Runs a tool and returns its standard output; a non-zero exit status throws with stderr.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        // stderr goes to a file so a chatty tool cannot fill a pipe nobody reads and hang.
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("qr-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw ToolFailure(description: "cannot create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw ToolFailure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) "
                + "exited with status \(process.terminationStatus): \(stderr)")
        }
        return stdout
    }

    /// A fresh directory, removed after `body` returns.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("yima-qr-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Decodes the single QR code in an image file with zbarimg, returning the raw payload bytes.
    ///
    /// `-Sbinary` makes zbar print the payload bytes unchanged. Without it zbar guesses the
    /// byte-mode character set and converts to UTF-8: Chinese text comes out right, but short
    /// Latin text such as "Café" is misread as Shift-JIS/Big5 and mangled. zbarimg 0.23.92 adds
    /// no newline in binary mode; other versions may, so one trailing "\n" is dropped (no test
    /// input ends in a newline, so this cannot hide a wrong payload).
    static func zbarDecode(_ image: URL) throws -> [UInt8] {
        let zbarimg = try tool("zbarimg", package: "zbar-tools")
        var bytes = [UInt8](try run(zbarimg, ["--quiet", "--raw", "-Sbinary", image.path]))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes
    }

    /// Rasterises an SVG file to PNG with librsvg, `width` pixels wide.
    static func rasterize(svg: URL, to png: URL, width: Int = 600) throws {
        let rsvgConvert = try tool("rsvg-convert", package: "librsvg2-bin")
        _ = try run(rsvgConvert, ["-w", String(width), svg.path, "-o", png.path])
    }

    /// The module matrix the `qrencode` command line tool makes for `text`, as an independent
    /// reference: same library, but our own bit packing and copying are not involved.
    static func referenceModules(_ text: String, level: QRErrorCorrection) throws -> [[Bool]] {
        let qrencode = try tool("qrencode", package: "qrencode")
        // -c: case-sensitive (lower case as 8-bit), -m 0: no margin, -t ASCII: "##" = dark.
        let output = try run(qrencode, ["-l", level.rawValue, "-c", "-m", "0", "-t", "ASCII", "--", text])
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        return lines.map { line in
            let characters = Array(line)
            return stride(from: 0, to: characters.count, by: 2).map { characters[$0] == "#" }
        }
    }

    static func modules(of matrix: QRMatrix) -> [[Bool]] {
        (0..<matrix.size).map { y in (0..<matrix.size).map { x in matrix[x: x, y: y] } }
    }

    /// Width and height from a PNG's IHDR chunk, which must directly follow the signature.
    static func pngDimensions(_ png: [UInt8]) throws -> (width: Int, height: Int, bitDepth: UInt8, colorType: UInt8) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard png.count >= 33, Array(png[0..<8]) == signature, Array(png[12..<16]) == Array("IHDR".utf8) else {
            throw ToolFailure(description: "not a PNG starting with an IHDR chunk")
        }
        func bigEndian(_ offset: Int) -> Int {
            png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian(16), bigEndian(20), png[24], png[25])
    }

    /// Which modules an SVG from `QRMatrix.svg` paints dark, parsed back from its path data
    /// ("M x y h w v1 h-w z" per run). Coordinates are in the viewBox, quiet zone included.
    static func darkModules(inSVG svg: String, side: Int) throws -> [[Bool]] {
        guard let dStart = svg.range(of: " d=\""),
              let dEnd = svg[dStart.upperBound...].firstIndex(of: "\"") else {
            throw ToolFailure(description: "SVG has no path data")
        }
        var grid = Array(repeating: Array(repeating: false, count: side), count: side)
        let pathData = svg[dStart.upperBound..<dEnd]
        for subpath in pathData.split(separator: "z") {
            // "M12 4h3v1h-3" -> numbers 12, 4, 3, 1, 3 between the command letters.
            let numbers = subpath.split(whereSeparator: { "Mhv -".contains($0) }).compactMap { Int($0) }
            guard subpath.first == "M", numbers.count == 5, numbers[3] == 1, numbers[2] == numbers[4] else {
                throw ToolFailure(description: "unexpected subpath \(subpath)")
            }
            let (x, y, width) = (numbers[0], numbers[1], numbers[2])
            for column in x..<x + width {
                guard !grid[y][column] else { throw ToolFailure(description: "module (\(column), \(y)) painted twice") }
                grid[y][column] = true
            }
        }
        return grid
    }

    /// `modules` surrounded by `quietZone` light modules on every side.
    static func addingQuietZone(_ modules: [[Bool]], _ quietZone: Int) -> [[Bool]] {
        let side = modules.count + 2 * quietZone
        let blank = Array(repeating: false, count: side)
        let padding = Array(repeating: false, count: quietZone)
        return Array(repeating: blank, count: quietZone)
            + modules.map { padding + $0 + padding }
            + Array(repeating: blank, count: quietZone)
    }

    /// Positions where two module grids differ, for readable failure messages.
    static func differences(_ a: [[Bool]], _ b: [[Bool]]) -> [String] {
        guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else {
            return ["sizes differ: \(a.count) rows vs \(b.count) rows"]
        }
        var result: [String] = []
        for y in a.indices {
            for x in a[y].indices where a[y][x] != b[y][x] { result.append("(\(x), \(y))") }
        }
        return result
    }

    /// Our real code shape: an upper-case GS1 Digital Link URL with a 165-digit decimal signature.
    static func sampleYimaURL() -> String {
        "https://YIMA.EXAMPLE.COM/01/09506000134352/10/ABCDE12345/21/ABCDEFGH2345?s=1"
            + String((0..<165).map { _ in "0123456789".randomElement()! })
    }

    /// The same content written the usual way: lower case, base64url signature of the same
    /// size (165 digits ≈ 548 bits ≈ 69 bytes ≈ 92 base64url characters).
    static func lowercaseBase64URL() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return "https://yima.example.com/01/09506000134352/10/abcde12345/21/abcdefgh2345?s="
            + String((0..<92).map { _ in alphabet.randomElement()! })
    }
}
