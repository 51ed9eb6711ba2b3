import ArgumentParser

/// `yima export`: the store's records in exchange formats, one subcommand per format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write records in an exchange format (数据导出).",
        subcommands: [ExportNationalCommand.self])
}
