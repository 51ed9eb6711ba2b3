import ArgumentParser
import Foundation
import YimaLedger
import YimaService

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "The transparency log of every record (透明日志, docs/checkpoint.md).",
        subcommands: [Checkpoint.self, Verifier.self, Prove.self])

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign and print a checkpoint of the whole log; refuse if the log is not an extension of the last one.")
        @OptionGroup var data: DataOptions
        @Option(help: "The log's name (first use only; default yima/<data folder name>).") var origin: String?
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let note = try data.useCases().transparency.signCheckpoint(in: data.directory, origin: origin)
                print(note, terminator: "")
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

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an inclusion proof (--leaf) or a consistency proof (--old-size), one base64 hash per line (RFC 9162 §2.1.3–2.1.4).")
        @OptionGroup var data: DataOptions
        @Option(help: "The leaf (record sequence number) to prove included.") var leaf: Int64?
        @Option(help: "The earlier tree size to prove consistent with.") var oldSize: Int64?
        @Option(help: "The tree size the proof is for (default: the whole log).") var size: Int64?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (leaf == nil) != (oldSize == nil) else { throw ValidationError("give exactly one of --leaf and --old-size") }
        }

        func run() throws {
            try Console.service(global.language) {
                let log = try data.useCases().transparency
                let hashes = if let leaf {
                    try log.inclusionProof(leaf: leaf, treeSize: size).hashes
                } else {
                    try log.consistencyProof(oldSize: oldSize ?? 0, newSize: size).hashes
                }
                for hash in hashes { print(hash.base64) }
            }
        }
    }
}
