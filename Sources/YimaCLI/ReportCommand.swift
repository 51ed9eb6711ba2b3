import ArgumentParser
import Foundation
import YimaRecords
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

    /// Each batch's mass balance (docs/report.md §Balance): one row per measure.
    func printBalances(_ balances: [BatchBalance], zh: Bool) {
        guard !balances.isEmpty else { return }
        let language = global.language
        print("\n" + CLIMessage.reportBalanceTitle.text(in: language, ["tolerance": Int(MassBalance.tolerance * 100)]))
        let header: [CLIMessage] = [.reportBalanceBatch, .reportBalanceMeasure, .reportBalanceSupply, .reportBalanceCertified,
                                    .reportBalanceLabelled, .reportBalanceLimit, .reportBalanceHolds]
        var rows = [header.map { $0.text(in: language) }]
        for batch in balances {
            for line in batch.balance.lines {
                let text = { (value: Double?) in value.map { Amount.text($0, line.measure, chinese: zh) } ?? "—" }
                let declared = batch.balance.supplyIsDeclared && line.supply != nil ? CLIMessage.reportBalanceDeclared.text(in: language) : ""
                rows.append([batch.batchKey, line.measure.baseUnit.rawValue, text(line.supply) + declared, text(line.certified),
                             text(line.labelled), text(line.limit),
                             (line.holds ? CLIMessage.reportBalanceYes : .reportBalanceNo).text(in: language)])
            }
        }
        print(TextTable.render(rows), terminator: "")
    }

    func run() throws {
        try Console.service(global.language) {
            guard let grouping = RegulatorReport.Grouping(rawValue: by) else {
                throw ServiceError.invalidArgument(.reportGrouping)
            }
            let report = try data.useCases().reports.report(from: from, until: until, by: grouping, copyWarningClients: copyWarningClients)
            if csv { print(report.csv, terminator: ""); return }
            if json { Console.printJSON(report.json); return }
            let zh = global.language == .chinese
            let columns: [CLIMessage] = [.reportKey, .reportName, .reportCodesIssued, .reportScans, .reportCopyWarnings,
                                         .reportPINVerifications, .reportRecalls, .reportCertificates, .reportCertificateReceipts]
            let header = zh ? columns.map { $0.text(in: .chinese) } : RegulatorReport.Row.csvHeader
            print(TextTable.render([header] + report.rows.map(\.csvFields) + [report.total.csvFields]), terminator: "")
            for day in report.scansPerDay { print("\(day.day)  \(day.scans)") }
            printBalances(report.balances, zh: zh)
        }
    }
}
