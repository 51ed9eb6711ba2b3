import ArgumentParser

/// The `yima` command line: a thin shell over YimaService.
@main
struct Yima: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yima",
        abstract: "一码 Yima: signed one-product-one-code traceability (一物一码).",
        discussion: "Messages are in Chinese by default; add --lang en or set YIMA_LANG=en for English.",
        version: "0.1.0",
        subcommands: [InitCommand.self, KeysCommand.self, PartyCommand.self, ProductCommand.self, BatchCommand.self,
                      EventCommand.self, IssueCommand.self, LabelsCommand.self, ChainCommand.self, VerifyCommand.self, LogCommand.self, ServeCommand.self,
                      TrustCommand.self, RecallCommand.self, CertificateCommand.self,
                      ReportCommand.self]
    )
}
