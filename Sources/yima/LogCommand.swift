import ArgumentParser
import Foundation
import YimaService

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "The transparency log of every record (透明日志, docs/checkpoint.md).",
        subcommands: [Checkpoint.self, Verifier.self])

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign and print a checkpoint of the whole log; refuse if the log is not an extension of the last one.")
        @OptionGroup var data: DataOptions
        @Option(help: "The log's name (first use only; default yima/<data folder name>).") var origin: String?
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let directory = data.directory
                let service = try directory.service()
                let key = try directory.logKey()
                let name = try directory.logOrigin(proposed: origin)
                let previous = try directory.latestCheckpoint(origin: name, key: key)
                let signed = try service.signCheckpoint(origin: name, key: key, previous: previous)
                try directory.saveCheckpoint(signed.note, origin: name)
                print(signed.note, terminator: "")
            }
        }
    }

    struct Verifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the log's verifier key (C2SP signed-note vkey) for auditors.")
        @OptionGroup var data: DataOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let directory = data.directory
                let key = try directory.logKey()
                let name = try directory.logOrigin(proposed: nil)
                print(try NoteVerifier(name: name, publicKey: key.publicKey).verifierKey)
            }
        }
    }
}
