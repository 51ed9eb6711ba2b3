/// How an upload batch travels (docs/upload.md): one HTTP POST. The service decides
/// what to send and what an answer means; the transport (URLSession in the command
/// line) only carries bytes, so the use case does no I/O of its own.
public protocol UploadTransport: Sendable {
    /// POSTs `body` to `url` with `headers`; throws on a network failure (refused,
    /// reset, timed out) before a complete answer arrived.
    func post(_ body: [UInt8], to url: String, headers: [(name: String, value: String)]) async throws -> UploadAnswer
}

/// A receiver's complete answer.
public struct UploadAnswer: Sendable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// What upward reporting sends (docs/upload.md §Formats).
public enum UploadFormat: String, Sendable, CaseIterable {
    /// NY/T 4712-2025 as docs/national-format.md renders it.
    case national
    /// EPCIS 2.0 JSON-LD as docs/epcis.md maps it: the batch's events in one EPCISDocument.
    case epcis
}
