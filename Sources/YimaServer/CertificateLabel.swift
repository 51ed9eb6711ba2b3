import Foundation
import Mustache
import YimaCodes
import YimaRecords
import YimaService

/// The printable 承诺达标合格证 label: `templates/certificate.svg.mustache` filled from a
/// `CertificateView`, with a QR code of the certificate's URL on the lookup server
/// (`BASE/certificates/RECORD-ID`).
public enum CertificateLabel {
    public static let templateName = "certificate.svg.mustache"

    /// The URL the label's QR code encodes.
    public static func url(base: String, id: RecordID) -> String {
        "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/certificates/\(id.hex)"
    }

    public static func svg(_ view: CertificateView, base: String, templates: String) throws -> String {
        let path = (templates as NSString).appendingPathComponent(templateName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError.input("template \(path) is missing", zh: "缺少模板 \(path)")
        }
        let template = try MustacheTemplate(string: text)
        let matrix: QRMatrix
        do { matrix = try QRMatrix.encode(url(base: base, id: view.recordID), errorCorrection: .M) } catch { throw ServiceError.wrap(error) }
        // The QR's own <svg> nests in the label at the right, 5 px a module.
        let qr = matrix.svg(moduleSize: 5).replacingOccurrences(of: "<svg ", with: "<svg x=\"\(980 - (matrix.size + 8) * 5)\" y=\"150\" ")
        var model: [String: Any] = [
            "number": view.certificate.number,
            "product": [view.product?.name, view.product?.variety].compactMap { $0 }.joined(separator: " · "),
            "quantity": view.certificate.quantity.text(chinese: true),
            "origin": view.batch.origin.place,
            "lot": "\(view.batch.gtin) / \(view.batch.lot)",
            "issuer": view.issuer?.name ?? view.batch.owner.rawValue,
            "contact": view.certificate.contact,
            "date": view.time.localDate.description,
            "bases": ComplianceCertificate.Basis.allCases.map { ["name": $0.name(chinese: true), "checked": $0 == view.certificate.basis] },
            "record": String(view.recordID.hex.prefix(16)),
            "qr": qr,
        ]
        if !view.certificate.sources.isEmpty {
            model["sources"] = ["list": view.certificate.sources.map { String($0.hex.prefix(16)) }.joined(separator: "、")]
        }
        return template.render(model)
    }
}
