import ArgumentParser
import Foundation
import YimaService

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue signed unit codes for a batch (签发一物一码).",
        discussion: "Writes OUT/codes.txt (one code per line) and, for svg/png, one QR label per code named SERIAL.svg/.png. Output appears whole or not at all.")

    @Option(help: "The issuer's private key (PEM).")
    var key: String
    @Option(help: "Passphrase file for an encrypted key.")
    var passphraseFile: String?
    @Option(help: "GTIN-14 with check digit.")
    var gtin: String
    @Option(help: "Lot: A-Z, 0-9 and '-', up to 20 characters.")
    var lot: String
    @Option(help: "How many codes.")
    var count: Int
    @Option(help: "Output folder (must not exist, or be empty).")
    var out: String
    @Option(help: "Comma-separated: txt, svg, png.")
    var format: String = "txt,svg"
    @Option(help: "Resolver base URL printed in codes. Default: YIMA_BASE_URL or http://127.0.0.1:8080.")
    var baseURL: String?
    @Option(help: "QR error correction: L, M, Q (default) or H.")
    var ec: String = "Q"
    @Option(help: "PNG pixels per QR module.")
    var moduleSize: Int = 8
    @Flag(help: "Print the summary as JSON.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        let zh = language == .chinese
        try Console.run {
            do {
                guard let level = QRErrorCorrection(rawValue: ec.uppercased()) else {
                    throw Failure(message: zh ? "纠错等级应为 L、M、Q 或 H" : "error correction must be L, M, Q or H", status: 64)
                }
                guard (1...64).contains(moduleSize) else {
                    throw Failure(message: zh ? "--module-size 应在 1 到 64 之间" : "--module-size must be 1...64", status: 64)
                }
                let base = try ResolverBase(baseURL ?? ProcessInfo.processInfo.environment["YIMA_BASE_URL"] ?? "http://127.0.0.1:8080")
                let formats = try LabelFormat.parseList(format)
                let signingKey = try KeyGeneration.loadPrivateKey(key, passphraseFile: passphraseFile)
                let request = IssueRequest(key: signingKey, base: base, gtin: gtin, lot: lot, count: count,
                                           outputDirectory: out, formats: formats, errorCorrection: level, moduleSize: moduleSize)
                let summary = try CodeIssuance.run(request, progress: Console.progress(zh ? "签发" : "issued"))
                if json {
                    let object: [String: Any] = ["count": summary.count, "directory": summary.directory,
                                                 "codesFile": summary.codesFile, "qrVersion": summary.qrVersion,
                                                 "keyId": signingKey.id.hex, "seconds": summary.seconds]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    let rate = Int(Double(summary.count) / max(summary.seconds, 1e-9))
                    print(zh ? "已签发 \(summary.count) 个码（QR 版本 \(summary.qrVersion)，每秒 \(rate) 个）→ \(summary.codesFile)"
                             : "issued \(summary.count) codes (QR version \(summary.qrVersion), \(rate)/s) → \(summary.codesFile)")
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw ServiceError.wrap(error).failure(language)
            }
        }
    }
}
