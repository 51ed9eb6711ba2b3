import ArgumentParser
import Foundation
import YimaCrypto
import YimaRecords
import YimaService

/// `yima export …`: exchange formats written from the store (docs/epcis.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export records in an exchange format.", subcommands: [EPCIS.self])

    struct EPCIS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "epcis",
            abstract: "A batch's chain as a GS1 EPCIS 2.0 JSON-LD document (docs/epcis.md).",
            discussion: "Every eventID is the event's CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0).")
        @OptionGroup var data: DataOptions
        @Option(help: "The batch, GTIN/LOT.") var batch: String
        @Option(help: "Write the document here instead of standard output.") var out: String?
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let language = global.language
            try Console.service(language) {
                let reference = try BatchReference(key: batch)
                let bytes = try self.data.useCases().epcis.export(batch: reference).serialized()
                guard let out else {
                    FileHandle.standardOutput.write(Data(bytes))
                    return
                }
                guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                    throw Failure(message: CLIMessage.cannotWrite.text(in: language, ["path": out]), status: 1)
                }
            }
        }
    }
}

/// `yima import …`: exchange formats read into the store, signed by the importer.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import records from an exchange format.", subcommands: [EPCIS.self])

    struct EPCIS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "epcis",
            abstract: "Import a GS1 EPCIS 2.0 JSON-LD document, each event signed by you (docs/epcis.md §Import).",
            discussion: "All events or none. Every problem is named by its JSON path; an event imported before (same event hash) is refused.")
        @OptionGroup var data: DataOptions
        @OptionGroup var signer: SignerOptions
        @Argument(help: "The EPCIS document ('-' for standard input).") var file: String
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let language = global.language
            try Console.service(language) {
                let contents = file == "-" ? Optional(FileHandle.standardInput.readDataToEndOfFile()) : FileManager.default.contents(atPath: file)
                guard let contents else {
                    throw Failure(message: CLIMessage.cannotRead.text(in: language, ["path": file]), status: 1)
                }
                let report = try self.data.useCases().epcis.importDocument(Array(contents), key: signer.load())
                if json {
                    Console.printJSON(.object([
                        "imported": .integer(Int64(report.imported.count)),
                        "records": .array(report.imported.map { .object(["record": .string(Hex.encode($0.record.id)),
                                                                         "epcis_event_id": .string($0.eventHash)]) }),
                    ]))
                    return
                }
                print(CLIMessage.imported.text(in: language, ["count": report.imported.count, "skipped": 0]))
            }
        }
    }
}
