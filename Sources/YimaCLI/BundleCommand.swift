import ArgumentParser
import Foundation
import YimaService

/// `yima bundle`: a unit's evidence in one file for offline checks (docs/bundle.md).
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Write a unit's chain, inclusion proofs and signed checkpoint to one file (离线核验包).",
        discussion: "From a data folder (--data) or a lookup server (--server). Check it with `yima verify --bundle FILE`.")

    @Argument(help: "The unit code as scanned.") var code: String
    @Option(name: .customLong("data"), help: "Data folder to read (signs a fresh checkpoint if the log grew).") var data: String?
    @Option(help: "Lookup server to fetch from instead.") var server: String?
    @Option(help: "With --server: trusted keys (*.pub authority keys, *.vkey log key) to include.") var trust: String?
    @Option(help: "With --server: the log verifier key to include.") var logKey: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        try Console.verifying(language) {
            let bundle: UnitBundle
            switch (data, server) {
            case (let data?, nil):
                let directory = DataDirectory.resolve(data)
                bundle = try directory.useCases().transparency.bundle(for: code, publisher: LogPublisher(directory: directory))
            case (nil, let server?):
                let remote = try RemoteEvidence.fetch(code, from: HTTPFetcher(base: server))
                let keys = try trust.map { try TrustStore.load(directory: $0).all } ?? []
                let log = try logKey.map(LogKeyOption.verifier) ?? trust.flatMap { try? LogKeyOption.resolve(nil, trust: $0) }
                bundle = try remote.bundle(logKey: log?.verifierKey, authorityKeys: keys)
            default:
                throw Failure(message: language == .chinese ? "请给出 --data 或 --server 之一" : "give one of --data or --server", status: 64)
            }
            FileHandle.standardOutput.write(Data(bundle.encoded))
        }
    }
}
