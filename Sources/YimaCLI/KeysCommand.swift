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
                    throw Failure(message: language == .chinese ? "未知算法“\(alg)”（可用 ed25519、p256、sm2）"
                                                               : "unknown algorithm \"\(alg)\" (use ed25519, p256, sm2)", status: 64)
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
                    print(language == .chinese
                          ? "已生成 \(algorithm.displayName) 密钥 \(made.key.id.hex)\n  私钥 \(made.privatePath)（仅本人可读，切勿外传）\n  公钥 \(made.publicPath)"
                          : "created \(algorithm.displayName) key \(made.key.id.hex)\n  private \(made.privatePath) (mode 0600, keep it secret)\n  public  \(made.publicPath)")
                } catch {
                    throw ServiceError.wrap(error).failure(language)
                }
            }
        }
    }
}
