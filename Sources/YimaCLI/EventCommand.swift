import ArgumentParser
import Foundation
import YimaCrypto
import YimaService

struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "event", abstract: "Events of a batch (生产记录).",
                                                    subcommands: [Record.self, Import.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an event (docs/records.md §Event).",
            discussion: """
            The file holds an event draft ({"type", "batch": {"gtin", "lot"}, "time", "data"}; the signer's party \
            becomes the actor and the batch's latest record the prev), or an envelope already signed by another \
            party, which is verified and stored as it is. The domain rules run first; a rejected event stores nothing.
            """)
        @OptionGroup var data: DataOptions
        @Option(help: "The signer's private key (not needed for a signed envelope).") var key: String?
        @Option(help: "Passphrase file for an encrypted key.") var passphraseFile: String?
        @Option(help: "The event draft or signed envelope as JSON ('-' for standard input).") var file: String
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let language = global.language
            try Console.service(language) {
                let recording = try data.useCases().recording
                let receipt = try recording.recordEvent(try JSONInput.read(file)) {
                    guard let key else {
                        throw Failure(message: language == .chinese ? "未签名的事件需要 --key" : "an unsigned event needs --key", status: 64)
                    }
                    return try KeyGeneration.loadPrivateKey(key, passphraseFile: passphraseFile)
                }
                Report.stored(receipt, json: json, language: language)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import events from a CSV spreadsheet, one per row (docs/records.md §CSV import).",
            discussion: "All rows or none by default; with --skip-invalid, bad rows are reported with their line numbers and the rest stored.")
        @OptionGroup var data: DataOptions
        @OptionGroup var signer: SignerOptions
        @Option(help: "The CSV file (UTF-8, header row).") var csv: String
        @Flag(help: "Store the valid rows and report the others.") var skipInvalid = false
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let language = global.language
            let zh = language == .chinese
            var skippedAny = false
            try Console.service(language) {
                guard let data = FileManager.default.contents(atPath: csv) else {
                    throw Failure(message: zh ? "无法读取 \(csv)" : "cannot read \(csv)", status: 1)
                }
                let report = try self.data.useCases().recording.importEvents(csv: String(decoding: data, as: UTF8.self), key: signer.load(),
                                                      skipInvalid: skipInvalid)
                skippedAny = !report.skipped.isEmpty
                if json {
                    Console.printJSON(.object([
                        "imported": .integer(Int64(report.imported.count)),
                        "records": .array(report.imported.map { .string(Hex.encode($0.id)) }),
                        "skipped": .array(report.skipped.map { .object(["line": .integer(Int64($0.line)), "error": .string($0.message)]) }),
                    ]))
                    return
                }
                for (line, message) in report.skipped {
                    Console.error(zh ? "跳过第 \(line) 行：\(message)" : "skipped line \(line): \(message)")
                }
                print(zh ? "已导入 \(report.imported.count) 条事件，跳过 \(report.skipped.count) 行"
                         : "imported \(report.imported.count) events, skipped \(report.skipped.count) rows")
            }
            // Skipped rows are not a success: scripts must notice them.
            if skippedAny { throw ExitCode(2) }
        }
    }
}
