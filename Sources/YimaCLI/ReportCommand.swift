import ArgumentParser
import Foundation
import YimaService

/// `yima report`: the county authority's statistics (docs/report.md).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Codes issued, scans, copy warnings, PIN verifications, recalls and certificates for a date range.")
    @OptionGroup var data: DataOptions
    @Option(help: "First day, YYYY-MM-DD (China Standard Time).") var from: String
    @Option(help: "Last day, YYYY-MM-DD, inclusive.") var until: String
    @Option(help: "Group by party, product or township.") var by: String = "party"
    @Option(help: "Distinct devices above which a unit counts as a copy warning.") var copyWarningClients: Int = 5
    @Flag(help: "CSV for the county's statistics system.") var csv = false
    @Flag(help: "JSON, as the server's /api/v1/report.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Console.service(global.language) {
            guard let grouping = RegulatorReport.Grouping(rawValue: by) else {
                throw ServiceError.invalidArgument("--by is party, product or township", zh: "--by 应为 party、product 或 township")
            }
            let report = try data.useCases().reports.report(from: from, until: until, by: grouping, copyWarningClients: copyWarningClients)
            if csv { print(report.csv, terminator: ""); return }
            if json { Console.printJSON(report.json); return }
            let zh = global.language == .chinese
            let header = zh ? ["分组", "名称", "发码", "扫码", "复制预警", "PIN 验证", "召回", "合格证"] : RegulatorReport.Row.csvHeader
            print(TextTable.render([header] + report.rows.map(\.csvFields) + [report.total.csvFields]), terminator: "")
            for day in report.scansPerDay { print("\(day.day)  \(day.scans)") }
        }
    }
}
