import ArgumentParser
import YimaCrypto
import YimaService

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage signing keys (密钥管理).",
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key pair: NAME.key (private, mode 0600) and NAME.pub.")

        @Option(help: "Algorithm: ed25519 (default), p256 or sm2.")
        var alg: String = "ed25519"

        @Option(help: "Path without extension, e.g. keys/farm.")
        var out: String

        @Option(help: "Encrypt the private key with the passphrase in this file (first line).")
        var passphraseFile: String?

        @Flag(help: "Print the result as JSON.")
        var json = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let language = global.language
            try Console.run {
                guard let algorithm = SignatureAlgorithm(rawValue: alg.lowercased()) else {
                    throw Failure(message: CLIMessage.unknownKeyAlgorithm.text(in: language, ["name": alg]), status: 64)
                }
                do {
                    let passphrase = try passphraseFile.map(KeyGeneration.readPassphrase)
                    let made = try KeyGeneration.run(algorithm: algorithm, base: out, passphrase: passphrase)
                    if json {
                        Console.printJSON(.object(["key_id": .string(made.key.id.hex), "algorithm": .string(algorithm.rawValue),
                                                   "private_key": .string(made.privatePath), "public_key": .string(made.publicPath),
                                                   "encrypted": .bool(passphrase != nil)]))
                        return
                    }
                    print(CLIMessage.keyCreated.text(in: language, ["algorithm": algorithm.displayName, "key": made.key.id.hex,
                                                                    "private": made.privatePath, "public": made.publicPath]))
                } catch {
                    throw ServiceError.wrap(error).failure(language)
                }
            }
        }
    }
}
