import Foundation
import Hummingbird
import YimaCodes
import YimaService

/// `POST /api/v1/labels`: a batch's print-ready labels for a request signed by its
/// owner with a time and a nonce (docs/api.md §Labels for the batch owner), so nobody
/// else can download a batch's codes before they are on the produce.
struct LabelRequestRoutes: Sendable {
    let labelling: Labelling
    let json: JSONRequest
    /// The templates folder (holding `labels/`).
    let templates: String
    let trustForwardedFor: Bool

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/labels") { request, _ in try await labels(request) }
    }

    func labels(_ request: Request) async throws -> Response {
        let envelope = try await json.envelope(request)
        let root = request.head.root(trustForwarded: trustForwardedFor)
        let base: ResolverBase
        do { base = try ResolverBase(root) } catch { throw APIError.internalError }
        let file: LabelFile
        do { file = try labelling.printRequested(envelope, templates: templates, base: base) } catch {
            if case .request(let refusal) = error { throw APIError.refusal(refusal, malformed: "invalid-label-request") }
            throw APIError.unavailable.bilingual()
        }
        let type = switch file.format {
        case .pdf: "application/pdf"
        case .zpl: "text/plain; charset=us-ascii"
        default: "application/octet-stream"
        }
        return Response(status: .ok, headers: [
            .contentType: type, .cacheControl: "no-store", .contentLength: String(file.bytes.count),
            .contentDisposition: "attachment; filename=\"\(file.fileName)\"",
        ], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
