import ArgumentParser
import Foundation
import YimaService

/// `yima trust export`: the signed trust list verifiers cache (docs/trust-list.md §3).
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trust", abstract: "Trust lists (信任列表).",
                                                    subcommands: [Export.self])
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a trust list of every party, key change and recall, for offline verifiers.")
        @OptionGroup var data: DataOptions
        @OptionGroup var authority: AuthorityOptions
        @Option(help: "Days until verifiers refuse the list.") var validityDays: Int = 7
        @Option(help: "Where to write the list ('-' for standard output).") var out: String = "-"
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let envelope = try data.useCases().keys.exportTrustList(signedWith: authority.load(), validity: .seconds(validityDays * 86_400))
                let bytes = Data(envelope.encoded)
                if out == "-" {
                    FileHandle.standardOutput.write(bytes)
                } else {
                    guard FileManager.default.createFile(atPath: out, contents: bytes) else {
                        throw ServiceError.output("cannot write \(out)", zh: "无法写入 \(out)")
                    }
                }
            }
        }
    }
}
