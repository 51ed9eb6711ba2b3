import ArgumentParser
import Foundation
import YimaCrypto
import YimaService

/// `--authority-key KEY [--passphrase-file F]`: the county authority signs.
struct AuthorityOptions: ParsableArguments {
    @Option(help: "The authority's private key (PEM).") var authorityKey: String
    @Option(help: "Passphrase file for the authority key.") var passphraseFile: String?

    func load() throws(ServiceError) -> PrivateKey {
        try KeyGeneration.loadPrivateKey(authorityKey, passphraseFile: passphraseFile)
    }
}

/// `yima party rotate-key` and `yima party revoke-key` (docs/trust-list.md §1).
extension PartyCommand {
    struct RotateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Rotate a party's key: the new key takes over; what the old one signed before still verifies.")
        @OptionGroup var data: DataOptions
        @OptionGroup var authority: AuthorityOptions
        @Option(help: "The party id.") var party: String
        @Option(help: "The key id (16 hex) being rotated out.") var kid: String
        @Option(help: "The new public key (.pub).") var newKey: String
        @Option(help: "When the rotation takes effect (RFC 3339 with offset; default now).") var time: String?
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let key: PublicKey
                do { key = try KeyFile.loadPublic(newKey) } catch { throw ServiceError.wrap(error) }
                let (stored, record) = try data.useCases().keys.rotateKey(party: party, oldKeyID: kid, newKey: key,
                                                                          time: time, authority: authority.load())
                Report.stored(RecordReceipt(stored, record), json: json, language: global.language)
            }
        }
    }

    struct RevokeKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-key",
            abstract: "Revoke a compromised key from a given time (or, without --compromised-since, everything it signed).")
        @OptionGroup var data: DataOptions
        @OptionGroup var authority: AuthorityOptions
        @Option(help: "The party id.") var party: String
        @Option(help: "The key id (16 hex) being revoked.") var kid: String
        @Option(help: "When the key was compromised (RFC 3339 with offset); omit if unknown.") var compromisedSince: String?
        @Option(help: "Why (recorded and shown).") var reason: String
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let (stored, record) = try data.useCases().keys.revokeKey(party: party, keyID: kid, compromisedSince: compromisedSince,
                                                                          reason: reason, authority: authority.load())
                Report.stored(RecordReceipt(stored, record), json: json, language: global.language)
            }
        }
    }
}
