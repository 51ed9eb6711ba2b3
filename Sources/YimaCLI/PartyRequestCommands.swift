import ArgumentParser
import Foundation
import YimaRecords
import YimaService

/// `yima party requests|approve|reject`: the county authority's side of registration
/// requests made from the workbench (docs/api.md §Approving registrations).
extension PartyCommand {
    struct Requests: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List pending registration requests (id, party, name, credit code, key id, received time).")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print the requests as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let pending = try data.useCases().registrations.pending()
                if json {
                    Console.printJSON(.array(pending.map { request in
                        .object(["id": .string(request.id), "party": .string(request.partyID), "name": .string(request.name),
                                 "credit_code": .string(request.creditCode), "kid": .string(request.keyID),
                                 "received_at": .string(RFC3339.utc(request.receivedAt))])
                    }))
                    return
                }
                guard !pending.isEmpty else {
                    print(CLIMessage.requestsNone.text(in: global.language))
                    return
                }
                print(CLIMessage.requestsHeader.text(in: global.language))
                for request in pending {
                    print([request.id, request.partyID, request.name, request.creditCode, request.keyID,
                           RFC3339.utc(request.receivedAt)].joined(separator: "\t"))
                }
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a registration request: sign its party record with the authority key, as `party add` does.")
        @OptionGroup var data: DataOptions
        @Option(name: [.customLong("authority-key"), .customLong("key")], help: "The authority's private key (PEM).")
        var authorityKey: String
        @Option(help: "Passphrase file for the authority key.") var passphraseFile: String?
        @Argument(help: "The request's id, or a unique prefix of at least 8 hex digits.") var id: String
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let key = try KeyGeneration.loadPrivateKey(authorityKey, passphraseFile: passphraseFile)
                let (request, receipt) = try data.useCases().registrations.approve(id, authorityKey: key)
                if !json { print(CLIMessage.requestApproved.text(in: global.language, ["id": request.id])) }
                Report.stored(receipt, json: json, language: global.language)
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a registration request, with the reason the producer will see.")
        @OptionGroup var data: DataOptions
        @Option(help: "Why (shown to the producer).") var reason: String
        @Argument(help: "The request's id, or a unique prefix of at least 8 hex digits.") var id: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let request = try data.useCases().registrations.reject(id, reason: reason)
                print(CLIMessage.requestRejected.text(in: global.language, ["id": request.id, "reason": reason]))
            }
        }
    }
}
