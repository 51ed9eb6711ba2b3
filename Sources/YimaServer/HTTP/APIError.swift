import Foundation
import Hummingbird
import YimaCodes
import YimaRecords
import YimaText

/// Every error the server answers with: a status and a JSON body
///
///     {"error":"<stable id>","message":"<text in the request's language>", …details}
///
/// (docs/api.md §Errors). Thrown by handlers; `ErrorMiddleware` renders it, and
/// turns any other error into one of these, so no failure leaves without a body.
public struct APIError: Error, Sendable {
    public let status: HTTPResponse.Status
    /// Stable identifier clients match on (`not-issued`, `malformed-code`, …).
    public let id: String
    let chinese: String
    let english: String
    /// Extra members of the JSON body.
    public var details: [String: JSONValue]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ id: String, zh: String, en: String,
                details: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.id = id
        chinese = zh
        english = en
        self.details = details
        self.headers = headers
    }

    public func message(in language: Language) -> String { language == .chinese ? chinese : english }

    public func json(in language: Language) -> JSONValue {
        var body = details
        body["error"] = .string(id)
        body["message"] = .string(message(in: language))
        return .object(body)
    }

    func response(in language: Language) -> Response { reply(in: language).response }

    func reply(in language: Language) -> Reply {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Reply(status: status, headers: headers, body: ByteBuffer(bytes: CanonicalJSON.encode(json(in: language))))
    }

    // MARK: Common cases

    static func malformedCode(_ error: UnitCodeError) -> APIError {
        APIError(.badRequest, "malformed-code", details: ["reason": .string(error.message(in: .english))]) {
            ServerMessage.malformedCode.text(in: $0, ["reason": error.message(in: $0)])
        }
    }

    static let notFound = APIError(.notFound, "not-found", .notFound)
    static func methodNotAllowed() -> APIError {
        APIError(.methodNotAllowed, "method-not-allowed", .methodNotAllowed)
    }
    static func bodyTooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "body-too-large", .bodyTooLarge, ["limit": limit],
                 details: ["limit": .integer(Int64(limit))])
    }
    static func targetTooLong(_ limit: Int) -> APIError {
        APIError(.uriTooLong, "uri-too-long", .targetTooLong, ["limit": limit],
                 details: ["limit": .integer(Int64(limit))])
    }
    static func invalidJSON(_ why: String) -> APIError {
        APIError(.badRequest, "invalid-json", .invalidJSON, ["reason": why])
    }
    static let internalError = APIError(.internalServerError, "internal", .internalError)
    static let unavailable = APIError(.serviceUnavailable, "unavailable", .unavailable)
}
