import ArgumentParser
import Foundation
import YimaCrypto
import YimaRecords
import YimaService

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a data folder with an empty store (初始化数据目录).")

    @OptionGroup var data: DataOptions
    @Flag(help: "Also create a demo county-authority key pair in DATA/authority/ (for trying Yima out).")
    var demoAuthority = false
    @Option(help: "Algorithm of the demo authority key.")
    var alg: String = "ed25519"
    @Option(help: "Install this authority public key (the regulator's .pub) as a trust anchor.")
    var authority: [String] = []
    @Flag(help: "Print the result as JSON.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        let zh = language == .chinese
        try Console.service(language) {
            guard let algorithm = SignatureAlgorithm(rawValue: alg) else {
                throw Failure(message: zh ? "未知算法“\(alg)”" : "unknown algorithm \"\(alg)\"", status: 64)
            }
            let directory = data.directory
            let demo = try directory.initialize(authorityAlgorithm: demoAuthority ? algorithm : nil)
            for path in authority { try directory.installAuthority(path) }
            if json {
                var object: [String: JSONValue] = ["data": .string(directory.path),
                                                   "authorities": .array(try directory.authorities().map { .string($0.id.hex) })]
                if demo != nil { object["demo_authority_key"] = .string("\(directory.authorityFolder)/authority.key") }
                Console.printJSON(.object(object))
                return
            }
            print(zh ? "已创建数据目录 \(directory.path)" : "created data folder \(directory.path)")
            if let demo {
                print(zh ? "  演示用监管部门密钥 \(demo.id.hex)：\(directory.authorityFolder)/authority.key"
                         : "  demo authority key \(demo.id.hex): \(directory.authorityFolder)/authority.key")
            }
        }
    }
}
