import Foundation
import HTTPTypes
import Hummingbird
import YimaRecords
import YimaService

/// `GET /certificates/{record id}`: what a 承诺达标合格证's QR code resolves to — the
/// label itself (SVG) for a person, or with `format=json` / `Accept: application/json`
/// the signed certificate event and whether the batch has been recalled since.
struct CertificateRoutes: Sendable {
    let certificates: Certificates
    /// The templates folder holding `certificate.svg.mustache`.
    let templates: String

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/certificates/:id") { request, context in
            let text = context.parameters.get("id") ?? ""
            guard let id = RecordID(hex: text) else {
                throw APIError(.badRequest, "malformed-id", .malformedCertificateID)
            }
            let view: CertificateView?
            do { view = try certificates.certificate(id: id) } catch { throw APIError.unavailable }
            guard let view else {
                throw APIError(.notFound, "no-certificate", .noCertificate)
            }
            let wantsJSON = request.uri.queryParameters.get("format") == "json"
                || request.headers[.accept]?.contains("application/json") == true
            if wantsJSON {
                var object: [String: JSONValue] = [
                    "record": .string(id.hex), "number": .string(view.certificate.number),
                    "batch": .object(["gtin": .string(view.batch.gtin.rawValue), "lot": .string(view.batch.lot.rawValue)]),
                    "issuer": .string(view.issuer?.id.rawValue ?? view.batch.owner.rawValue), "time": .string(view.time.rawValue),
                    "basis": .string(view.certificate.basis.rawValue), "quantity": .string(view.certificate.quantity.text(chinese: false)),
                    "sources": .array(view.certificate.sources.map { .string($0.hex) }),
                    "recalled": .bool(view.recall != nil),
                ]
                if let recall = view.recall { object["recall"] = .object(["reason": .string(recall.reason), "action": .string(recall.action)]) }
                return JSONResponse.make(.ok, .object(object))
            }
            let svg: String
            do { svg = try Certificates.label(view, base: request.root, templates: templates) } catch { throw APIError.unavailable }
            return JSONResponse.bytes(.ok, Array(svg.utf8), type: "image/svg+xml; charset=utf-8")
        }
    }
}
