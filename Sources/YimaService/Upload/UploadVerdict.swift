import Foundation

/// What a receiver's answer means (docs/upload.md §Receiver protocol).
enum UploadVerdict: Equatable {
    /// The batch is the receiver's: `accepted`, or `duplicate` (it had it already).
    case accepted
    /// Try the same batch again later: a 5xx, 408, 425 or 429, `"status":"retry"`,
    /// a lost connection, or an answer that makes no sense (`reason` says which).
    case retry(reason: String)
    /// The receiver refuses the batch for good (another 4xx, `"status":"rejected"`):
    /// nothing more is sent until an operator looks.
    case rejected(reason: String)

    init(_ answer: UploadAnswer) {
        let status = answer.status
        let text = Self.excerpt(answer.body)
        // Any JSON a receiver may write (nulls, fractions), not only what Yima signs.
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        let said = object?["status"] as? String
        let detail = object?["error"] as? String ?? text
        switch status {
        case 200...299:
            switch said {
            case "accepted", "duplicate": self = .accepted
            case "retry": self = .retry(reason: "HTTP \(status), status retry: \(detail)")
            case "rejected": self = .rejected(reason: "HTTP \(status), status rejected: \(detail)")
            default:
                self = .retry(reason: object == nil
                    ? "HTTP \(status) with an answer that is not a JSON object: \(text)"
                    : "HTTP \(status) with no status accepted, duplicate, retry or rejected: \(text)")
            }
        case 408, 425, 429, 500...599:
            self = .retry(reason: "HTTP \(status): \(detail)")
        case 400...499:
            self = .rejected(reason: "HTTP \(status): \(detail)")
        default:
            self = .retry(reason: "HTTP \(status) is not an answer to an upload: \(text)")
        }
    }

    /// The start of an answer, printable, for an error message.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(120), as: UTF8.self)
            .map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : String($0) }.joined()
        if text.isEmpty { return "(empty)" }
        return body.count > 120 ? text + "…" : text
    }
}
