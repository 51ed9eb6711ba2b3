import ArgumentParser
import Foundation
import YimaCodes
import YimaRecords
import YimaService

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue signed unit codes for a batch (签发一物一码).",
        discussion: """
        Writes OUT/codes.txt (one code per line) and, for svg/png, one QR label per code named SERIAL.svg/.png.         Output appears whole or not at all. With --batch GTIN/LOT the codes go into the data folder's store with         a signed unit-issuance event, all in one transaction; with --gtin and --lot, only files are written.
        """)

    @Option(help: "The issuer's private key (PEM).")
    var key: String
    @Option(help: "Passphrase file for an encrypted key.")
    var passphraseFile: String?
    @Option(help: "A stored batch, GTIN/LOT: codes are recorded in the store (with --data).")
    var batch: String?
    @OptionGroup var data: DataOptions
    @Option(help: "GTIN-14 with check digit (files only, without --batch).")
    var gtin: String?
    @Option(help: "Lot: A-Z, 0-9 and '-', up to 20 characters (files only, without --batch).")
    var lot: String?
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
    @Option(help: "What one unit holds, e.g. 5KGM or 500GRM (with --batch): the units then count in that measure in the batch's mass balance.")
    var unitQuantity: String?
    @Flag(help: "Also make a scratch-off PIN per code (with --batch): OUT/pins.csv; the store keeps only a keyed hash.")
    var pins = false
    @Flag(help: "Print the summary as JSON.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        try Console.run {
            do {
                guard let level = QRErrorCorrection(rawValue: ec.uppercased()) else {
                    throw Failure(message: CLIMessage.issueErrorCorrection.text(in: language), status: 64)
                }
                guard (1...64).contains(moduleSize) else {
                    throw Failure(message: CLIMessage.issueModuleSize.text(in: language), status: 64)
                }
                let base = try ResolverBase(baseURL ?? ProcessInfo.processInfo.environment["YIMA_BASE_URL"] ?? "http://127.0.0.1:8080")
                let formats = try LabelFormat.parseList(format)
                let signingKey = try KeyGeneration.loadPrivateKey(key, passphraseFile: passphraseFile)
                // `--batch` without its slash is a usage error (64), as before; a bad GTIN or lot is the record's (1).
                let storedBatch = try batch.map { text in
                    guard BatchKey(parsing: text) != nil else {
                        throw Failure(message: CLIMessage.issueNeedsBatch.text(in: language), status: 64)
                    }
                    return try BatchReference(key: text)
                }
                guard let gtin = storedBatch?.gtin.rawValue ?? gtin, let lot = storedBatch?.lot.rawValue ?? lot else {
                    throw Failure(message: CLIMessage.issueNeedsBatch.text(in: language), status: 64)
                }
                let request = IssueRequest(key: signingKey, base: base, gtin: gtin, lot: lot, count: count,
                                           outputDirectory: out, formats: formats, errorCorrection: level, moduleSize: moduleSize,
                                           unitQuantity: try unitQuantity.map { text in
                                               guard let parsed = Self.quantity(text) else {
                                                   throw Failure(message: CLIMessage.issueUnitQuantity.text(in: language, ["value": text]), status: 64)
                                               }
                                               return parsed
                                           })
                let progress = Console.progress(CLIMessage.issueProgress.text(in: language))
                guard !pins || storedBatch != nil else {
                    throw Failure(message: CLIMessage.issuePinsNeedBatch.text(in: language), status: 64)
                }
                let summary: IssueSummary
                if let storedBatch {
                    let issuance = try data.useCases().issuance
                    let issued = try issuance.issue(batch: storedBatch, request: request,
                                                    pinSecret: pins ? ServerSecret.load(data.directory) : nil, progress: progress)
                    if let made = issued.pins {
                        Console.error(CLIMessage.issuedPins.text(in: language, ["count": made.count, "file": made.file]))
                    }
                    summary = issued.summary
                } else {
                    summary = try CodeIssuance.run(request, progress: progress)
                }
                if json {
                    let object: [String: Any] = ["count": summary.count, "directory": summary.directory,
                                                 "codesFile": summary.codesFile, "qrVersion": summary.qrVersion,
                                                 "keyId": signingKey.id.hex, "seconds": summary.seconds]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    let rate = Int(Double(summary.count) / max(summary.seconds, 1e-9))
                    print(CLIMessage.issued.text(in: language, ["count": summary.count, "version": summary.qrVersion, "rate": rate,
                                                                "file": summary.codesFile]))
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                let error = ServiceError.wrap(error)
                // A rule's refusal (mass balance) exits 3, as for every record (docs/cli.md).
                if case .rule = error { throw error.failure(language, status: Console.ruleViolationStatus) }
                throw error.failure(language)
            }
        }
    }

    /// `5KGM`, `0.5KGM`, `12H87`: a decimal then a UN/CEFACT unit code, as a record's quantity.
    static func quantity(_ text: String) -> JSONValue? {
        guard let split = text.firstIndex(where: { $0.isLetter }), split != text.startIndex else { return nil }
        return Certificates.quantity(String(text[..<split]), unit: String(text[split...]))
    }
}
