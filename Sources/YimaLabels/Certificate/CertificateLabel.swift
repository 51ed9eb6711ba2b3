import Foundation
import Mustache
import YimaCodes

/// The printable 承诺达标合格证 label (docs/labels.md §Certificate):
/// `templates/certificate.svg.mustache` filled with a certificate's fields, with a QR
/// code of its URL on the lookup server.
public struct CertificateLabel: Sendable {
    public static let templateName = "certificate.svg.mustache"

    /// One tick box of the certificate's basis (自控自检, 委托检测, …).
    public struct Basis: Sendable {
        public let name: String
        public let checked: Bool

        public init(name: String, checked: Bool) {
            self.name = name
            self.checked = checked
        }
    }

    public var number: String
    public var product: String
    public var quantity: String
    public var origin: String
    public var lot: String
    public var issuer: String
    public var contact: String
    public var date: String
    public var bases: [Basis]
    /// The certificate's record id as printed (shortened).
    public var record: String
    /// The record ids a split or merged lot's certificate cites, shortened; empty for most.
    public var sources: [String]
    /// What the QR code encodes: the certificate's URL.
    public var url: String

    public init(number: String, product: String, quantity: String, origin: String, lot: String, issuer: String,
                contact: String, date: String, bases: [Basis], record: String, sources: [String], url: String) {
        self.number = number
        self.product = product
        self.quantity = quantity
        self.origin = origin
        self.lot = lot
        self.issuer = issuer
        self.contact = contact
        self.date = date
        self.bases = bases
        self.record = record
        self.sources = sources
        self.url = url
    }

    /// The label as SVG from `templates/certificate.svg.mustache`.
    public func svg(templates: String) throws(LabelError) -> String {
        let path = (templates as NSString).appendingPathComponent(Self.templateName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LabelError("template \(path) is missing", zh: "缺少模板 \(path)")
        }
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: text) } catch {
            throw LabelError("template \(path): \(error)", zh: "模板 \(path) 有误：\(error)")
        }
        let matrix: QRMatrix
        do { matrix = try QRMatrix.encode(url, errorCorrection: .M) } catch {
            throw LabelError("cannot encode \(url) as QR: \(error)", zh: "无法生成二维码：\(error)")
        }
        // The QR's own <svg> nests in the label at the right, 5 px a module.
        let qr = matrix.svg(moduleSize: 5).replacingOccurrences(of: "<svg ", with: "<svg x=\"\(980 - (matrix.size + 8) * 5)\" y=\"150\" ")
        var model: [String: Any] = [
            "number": number, "product": product, "quantity": quantity, "origin": origin, "lot": lot, "issuer": issuer,
            "contact": contact, "date": date, "bases": bases.map { ["name": $0.name, "checked": $0.checked] },
            "record": record, "qr": qr,
        ]
        if !sources.isEmpty { model["sources"] = ["list": sources.joined(separator: "、")] }
        return template.render(model)
    }
}
