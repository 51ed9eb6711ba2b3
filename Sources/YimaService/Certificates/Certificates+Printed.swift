import Foundation
import YimaCrypto
import YimaRecords

/// A certificate signed and stored, with its label written.
public struct IssuedCertificate: Sendable {
    public let receipt: RecordReceipt
    /// Where the label's QR code points: `BASE/certificates/RECORD-ID`.
    public let url: String
}

extension Certificates {
    /// The certified quantity as a record holds it: a decimal and its UN/ECE unit code.
    public static func quantity(_ value: String, unit: String) -> JSONValue {
        .object(["value": .string(value), "unit": .string(unit)])
    }

    /// Signs and stores a certificate (`issue(batch:quantity:…)`), then writes its
    /// printable label (SVG, from `templates`) to `labelFile`: `yima certificate issue`.
    /// A refused certificate writes nothing.
    public func issue(batch reference: BatchReference, quantity: String, unit: String, basis: String, contact: String,
                      number: String?, sources: [String], key: PrivateKey,
                      base: String, templates: String, labelFile: String) throws(ServiceError) -> IssuedCertificate {
        let stored = try issue(batch: reference, quantity: Self.quantity(quantity, unit: unit), basis: basis, contact: contact,
                               number: number, sources: sources, key: key)
        let receipt = try RecordReceipt(stored)
        guard let view = try certificate(id: receipt.id) else {
            throw .notFound("certificate \(receipt.id)", zh: "合格证 \(receipt.id)")
        }
        let svg = try Self.label(view, base: base, templates: templates)
        guard FileManager.default.createFile(atPath: labelFile, contents: Data(svg.utf8)) else {
            throw .output("cannot write \(labelFile)", zh: "无法写入 \(labelFile)")
        }
        return IssuedCertificate(receipt: receipt, url: Self.url(base: base, id: receipt.id))
    }
}
