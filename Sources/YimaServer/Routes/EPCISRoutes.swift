import Hummingbird
import YimaRecords
import YimaService

/// `GET /api/v1/epcis/events?batch=GTIN/LOT`: a batch's chain as a GS1 EPCIS 2.0
/// JSON-LD document (`application/ld+json`), every eventID its CBV 2.0 event hash
/// (docs/epcis.md, docs/api.md §EPCIS). Import is the command line's (docs/epcis.md
/// §Import: the importer signs every record, and the server holds no private key).
struct EPCISRoutes: Sendable {
    let epcis: EPCISExchange

    static let contentType = "application/ld+json; charset=utf-8"

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/epcis/events") { request, _ in
            let text = request.uri.queryParameters.get("batch") ?? ""
            let reference: BatchReference
            do throws(RecordError) { reference = try BatchReference(key: text) } catch {
                throw APIError(.badRequest, "invalid-batch", details: ["field": "batch"]) { error.message(in: $0) }
            }
            let document: EPCISJSON
            do throws(ServiceError) { document = try epcis.export(batch: reference) } catch {
                if case .rejected(.unknownReference, _, _) = error {
                    throw APIError(.notFound, "unknown-batch", .unknownBatch,
                                   ["gtin": reference.gtin.rawValue, "lot": reference.lot.rawValue],
                                   details: ["gtin": .string(reference.gtin.rawValue), "lot": .string(reference.lot.rawValue)])
                }
                throw APIError.unavailable
            }
            return JSONResponse.bytes(.ok, document.serialized(), type: Self.contentType)
        }
    }
}
