import Hummingbird
import YimaRecords

/// The body of a workbench POST (docs/api.md §Producer workbench): JSON only (415
/// otherwise, before the body is read), at most `body.limit` bytes (413), parsed.
struct JSONRequest: Sendable {
    let body: RequestBody

    func value(_ request: Request) async throws -> JSONValue {
        guard Self.isJSON(request.headers[.contentType]) else { throw APIError.unsupportedMediaType.bilingual() }
        let bytes: [UInt8]
        do { bytes = try await body.collect(request) } catch let error as APIError { throw error.bilingual() }
        do { return try CanonicalJSON.parse(bytes) } catch { throw APIError.invalidJSON("\(error)").bilingual() }
    }

    /// The body as an envelope (docs/envelope.md), or 400 `malformed-envelope`.
    func envelope(_ request: Request) async throws -> Envelope {
        try Self.envelope(try await value(request))
    }

    static func envelope(_ value: JSONValue) throws -> Envelope {
        do { return try Envelope(encoded: CanonicalJSON.encode(value)) } catch {
            throw APIError(.badRequest, "malformed-envelope") {
                ServerMessage.malformedEnvelope.text(in: $0, ["reason": error.message(in: $0)])
            }.bilingual()
        }
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first else { return false }
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
