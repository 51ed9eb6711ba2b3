import ArgumentParser
import Foundation
import YimaRecords
import YimaService

/// `yima recall issue` and `yima recall trace` (产品可召回、流向可跟踪).
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recall", abstract: "Recalls (召回).",
                                                    subcommands: [Issue.self, Trace.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a recall of a batch, some of its units, or every batch of a party in a time window.",
            discussion: "Signed by the batch owner or a regulator. Exit status: 0 stored; 3 refused by a rule (e.g. [role] for a party that does not own the batch); 1 other refusals.")
        @OptionGroup var data: DataOptions
        @OptionGroup var signer: SignerOptions
        @Option(help: "The batch, GTIN/LOT.") var batch: String?
        @Option(help: "Only these serials of the batch (comma-separated).") var units: String?
        @Option(help: "Every batch of this party with an event in --from…--until.") var party: String?
        @Option(help: "Window start (RFC 3339 with offset).") var from: String?
        @Option(help: "Window end (RFC 3339 with offset).") var until: String?
        @Option(help: "Why the product is recalled.") var reason: String
        @Option(help: "What a holder should do.") var action: String
        @Flag(help: "Print the stored records as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (batch != nil) != (party != nil) else { throw ValidationError("give --batch or --party (with --from and --until)") }
            if party != nil, from == nil || until == nil { throw ValidationError("--party needs --from and --until") }
            if units != nil, batch == nil { throw ValidationError("--units goes with --batch") }
        }

        func run() throws {
            try Console.service(global.language) {
                let recalls = try data.useCases().recalls
                let key = try signer.load()
                let stored = if let batch {
                    [try recalls.recall(batch: BatchReference(key: batch), units: serials(units), reason: reason, action: action, key: key)]
                } else {
                    try recalls.recall(party: party!, from: from!, until: until!, reason: reason, action: action, key: key)
                }
                for record in stored {
                    Report.stored(try RecordReceipt(record), json: json, language: global.language)
                }
            }
        }

        /// `--units S1,S2`: serials, comma-separated.
        private func serials(_ text: String?) -> [String] {
            text?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        }
    }

    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every unit of a batch and where it last went, through cartons and pallets.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The batch, GTIN/LOT.") var batch: String
        @Flag(help: "CSV (RFC 4180, UTF-8) instead of a table.") var csv = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let rows = try data.useCases().recalls.trace(batch: BatchReference(key: batch))
                let zh = global.language == .chinese
                if csv {
                    var out = CSVLine.encode(RecallTraceRow.csvHeader)
                    for row in rows { out += CSVLine.encode(row.csvFields) }
                    print(out, terminator: "")
                    return
                }
                let header = zh ? ["单品序列号", "箱", "托盘", "最后环节", "时间", "现持有方", "已召回"] : RecallTraceRow.csvHeader
                let table = [header] + rows.map { row in
                    var fields = row.csvFields
                    if zh {
                        fields[3] = row.lastStep?.name(chinese: true) ?? ""
                        fields[6] = row.recalled ? "是" : "否"
                    }
                    return fields
                }
                print(TextTable.render(table), terminator: "")
                let moved = rows.filter { $0.lastStep != nil }.count
                print(zh ? "共 \(rows.count) 个单品，其中 \(moved) 个已流出" : "\(rows.count) units, \(moved) of them moved on")
            }
        }
    }
}

/// Columns padded to their widest cell (CJK characters count double).
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? width($0[column]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - width(cell) + 2)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
