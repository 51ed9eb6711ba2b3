import YimaLabels
import YimaRecords

extension Certificates {
    /// The URL a certificate's QR code encodes: `BASE/certificates/RECORD-ID` on the lookup server.
    public static func url(base: String, id: RecordID) -> String {
        "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/certificates/\(id.hex)"
    }

    /// The printable label of a certificate (SVG), its QR code pointing under `base`.
    public static func label(_ view: CertificateView, base: String, templates: String) throws(ServiceError) -> String {
        let label = CertificateLabel(
            number: view.certificate.number,
            product: [view.product?.name, view.product?.variety].compactMap { $0 }.joined(separator: " · "),
            quantity: view.certificate.quantity.text(chinese: true),
            origin: view.batch.origin.place,
            lot: "\(view.batch.gtin) / \(view.batch.lot)",
            issuer: view.issuer?.name ?? view.batch.owner.rawValue,
            contact: view.certificate.contact,
            date: view.time.localDate.description,
            bases: ComplianceCertificate.Basis.allCases.map { .init(name: $0.name(chinese: true), checked: $0 == view.certificate.basis) },
            record: String(view.recordID.hex.prefix(16)),
            sources: view.certificate.sources.map { String($0.hex.prefix(16)) },
            url: url(base: base, id: view.recordID))
        do { return try label.svg(templates: templates) } catch { throw .label(error) }
    }
}
