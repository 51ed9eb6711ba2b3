import ArgumentParser
import Foundation
import YimaRecords
import YimaService

/// `yima export national`: NY/T 4712-2025 as docs/national-format.md renders it,
/// valid against docs/schemas/national-document.schema.json.
struct ExportNationalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "national", abstract: "Write the national traceability format, NY/T 4712-2025 (农产品质量安全追溯数据格式).",
        discussion: "Without --batch, every record in the store; --from/--until (YYYY-MM-DD, China Standard Time, inclusive) narrow it to events signed, and other records stored, in those days.")

    @OptionGroup var data: DataOptions
    @Option(help: "One batch, GTIN/LOT, with the parties it names and its product.") var batch: String?
    @Option(help: "First day, YYYY-MM-DD.") var from: String?
    @Option(help: "Last day, YYYY-MM-DD, inclusive.") var until: String?
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Console.service(global.language) {
            let document = try data.useCases().nationalExport.document(.init(batch: batch, from: from, until: until))
            try ExportOutput.write(CanonicalJSON.encode(document), to: out)
        }
    }
}

/// Where an export goes: standard output, or a file replaced whole (never half written).
enum ExportOutput {
    static func write(_ bytes: [UInt8], to path: String?) throws(ServiceError) {
        guard let path else {
            FileHandle.standardOutput.write(Data(bytes + [0x0A]))
            return
        }
        do {
            try Data(bytes + [0x0A]).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .output(.cannotWrite, ["path": path])
        }
    }
}
