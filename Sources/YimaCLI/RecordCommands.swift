import ArgumentParser
import Foundation
import YimaCrypto
import YimaRecords
import YimaService
import YimaText

/// `yima party add`, `yima product add`, `yima batch create`: sign a JSON draft and store it.
struct RecordDraftCommand {
    static func submit(file: String, kind: Record.Kind, key: PrivateKey, data: DataOptions,
                       json: Bool, language: Language) throws {
        var draft = try JSONInput.read(file)
        if kind == .party { draft = try JSONInput.resolvingKeyFiles(draft, relativeTo: file) }
        Report.stored(try data.useCases().recording.record(draft: draft, kind: kind, key: key), json: json, language: language)
    }
}

enum Report {
    static func stored(_ receipt: RecordReceipt, json: Bool, language: Language) {
        let id = receipt.id.hex
        let record = receipt.record
        if json {
            Console.printJSON(.object(["id": .string(id), "sequence": .integer(receipt.logIndex),
                                       "kind": .string(record.kind.rawValue), "record": record.json]))
            return
        }
        let what: String = switch record {
        case .party(let party): CLIMessage.recordedParty.text(in: language, ["id": party.id, "name": party.name])
        case .product(let product): CLIMessage.recordedProduct.text(in: language, ["gtin": product.gtin, "name": product.name])
        case .batch(let batch): CLIMessage.recordedBatch.text(in: language, ["gtin": batch.gtin, "lot": batch.lot])
        case .event(let event): CLIMessage.recordedEvent.text(in: language, ["type": event.type.rawValue, "batch": event.batch.key,
                                                                             "time": event.time])
        case .key(let change): CLIMessage.recordedKeyChange.text(in: language, ["party": change.party, "key": change.keyID])
        }
        print(CLIMessage.recorded.text(in: language, ["what": what, "id": id, "index": receipt.logIndex]))
    }
}

struct PartyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "party", abstract: "Parties (主体登记).",
                                                    subcommands: [Add.self, RotateKey.self, RevokeKey.self, Requests.self, Approve.self, Reject.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a party, signed by the county authority (see docs/records.md §Party).",
            discussion: "In the JSON, public_keys entries may be paths to .pub files, relative to the JSON file.")
        @OptionGroup var data: DataOptions
        @OptionGroup var authority: AuthorityOptions
        @Option(help: "The party as JSON ('-' for standard input).") var file: String
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                try RecordDraftCommand.submit(file: file, kind: .party, key: authority.load(), data: data, json: json, language: global.language)
            }
        }
    }
}

/// What `product add` and `batch create` share: a producer's key and a JSON draft.
struct SignedDraftOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @OptionGroup var signer: SignerOptions
    @Option(help: "The draft as JSON ('-' for standard input).") var file: String
    @Flag(help: "Print the stored record as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func submit(_ kind: Record.Kind) throws {
        try Console.service(global.language) {
            try RecordDraftCommand.submit(file: file, kind: kind, key: signer.load(), data: data, json: json,
                                          language: global.language)
        }
    }
}

struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "product", abstract: "Products (商品).",
                                                    subcommands: [Add.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Define a product, signed by its producer (docs/records.md §Product).")
        @OptionGroup var options: SignedDraftOptions
        func run() throws { try options.submit(.product) }
    }
}

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch", abstract: "Batches / lots (批次).",
                                                    subcommands: [Create.self])
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a batch, signed by its owner (docs/records.md §Batch); owner defaults to the signer.")
        @OptionGroup var options: SignedDraftOptions
        func run() throws { try options.submit(.batch) }
    }
}
