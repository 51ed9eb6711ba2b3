import ArgumentParser
import Foundation
import YimaLabels
import YimaRecords
import YimaService

/// `yima certificate issue`: a signed 承诺达标合格证 and its printable label.
struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certificate", abstract: "Compliance certificates (承诺达标合格证).",
                                                    subcommands: [Issue.self, Receive.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a compliance certificate for a batch and render its label (SVG) with a QR code that resolves to it.",
            discussion: """
            Refused, saying why (exit 3), while a pesticide's safety interval runs [safety-interval], after a banned \
            input [banned-pesticide], or when the latest inspection failed [failed-inspection]; a second certificate \
            of a batch that does not name the one it splits [certificate-split]; a test-based certificate without an \
            inspection of every active ingredient applied [test-coverage]; more than the harvest [mass-balance]. A \
            split or merged lot names the certificates it comes from with --source.
            """)
        @OptionGroup var data: DataOptions
        @OptionGroup var signer: SignerOptions
        @Option(help: "The batch, GTIN/LOT.") var batch: String
        @Option(help: "Quantity certified, a decimal.") var quantity: String
        @Option(help: "Its unit: KGM, TNE, GRM, LTR, H87 (pieces)…") var unit: String = "KGM"
        @Option(help: "Basis of the commitment: self_test, commissioned_test or internal_control.") var basis: String
        @Option(help: "Contact line printed on the certificate.") var contact: String
        @Option(help: "Certificate number (default LOT-YYYYMMDD-N).") var number: String?
        @Option(help: "Record id of a certificate this lot comes from (repeat for a merge).") var source: [String] = []
        @Option(help: "Where to write the label (SVG).") var out: String
        @Option(help: "Lookup server base URL for the QR code. Default: YIMA_BASE_URL or http://127.0.0.1:8080.") var baseURL: String?
        @Option(help: "Templates folder (default: found as yima serve finds it).") var templates: String?
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let certificates = try data.useCases().certificates
                let base = baseURL ?? ProcessInfo.processInfo.environment["YIMA_BASE_URL"] ?? "http://127.0.0.1:8080"
                let issued = try certificates.issue(batch: BatchReference(key: batch), quantity: quantity, unit: unit,
                                                    basis: basis, contact: contact, number: number, sources: source,
                                                    key: signer.load(), base: base, templates: TemplateFolder.find(templates),
                                                    labelFile: out)
                Report.stored(issued.receipt, json: json, language: global.language)
                if !json { print(issued.url) }
            }
        }
    }

    /// `yima certificate receive`: a buyer's signed receipt of a certificate (收购方留存合格证).
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record, signed by the buyer, the receipt of a certificate (收购方留存合格证).",
            discussion: """
            Signs a certificate_receipt event on the certificate's batch. Refused (exit 3) when the record is not a \
            certificate of that batch [certificate-receipt] or the signer is not a cooperative, processor, market or \
            retailer [role].
            """)
        @OptionGroup var data: DataOptions
        @OptionGroup var signer: SignerOptions
        @Option(help: "Record id of the certificate received (64 hex digits, as its QR code's URL ends).") var certificate: String
        @Option(help: "Party id of the seller it came from.") var from: String
        @Option(help: "Quantity bought under it, a decimal (optional).") var quantity: String?
        @Option(help: "Its unit: KGM, TNE, GRM, LTR, H87 (pieces)…") var unit: String = "KGM"
        @Flag(help: "Print the stored record as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Console.service(global.language) {
                let receipt = try data.useCases().certificates.receive(
                    certificate: certificate, from: from, quantity: quantity.map { Certificates.quantity($0, unit: unit) }, key: signer.load())
                Report.stored(receipt, json: json, language: global.language)
            }
        }
    }
}
