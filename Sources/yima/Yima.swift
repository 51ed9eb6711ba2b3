import ArgumentParser
import YimaCLI

/// The `yima` command line: every command lives in YimaCLI, but `serve`, here beside the server.
@main
struct Yima: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yima",
        abstract: "一码 Yima: signed one-product-one-code traceability (一物一码).",
        discussion: "Messages are in Chinese by default; add --lang en or set YIMA_LANG=en for English.",
        version: "0.1.0",
        subcommands: Commands.all(serve: ServeCommand.self)
    )
}
