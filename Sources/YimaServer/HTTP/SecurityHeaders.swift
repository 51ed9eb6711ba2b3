import HTTPTypes
import Hummingbird

/// The headers that keep a browser from doing more with an answer than showing it
/// (docs/api.md §Security headers, docs/SECURITY.md): no script runs on our pages,
/// nothing is loaded from elsewhere, no other site frames them (clickjacking a PIN
/// form or a verdict), the full code with its signature never leaks in a Referer,
/// and no answer is sniffed into another type.
enum SecurityHeaders {
    /// Pages use inline styles only (templates/style.mustache); forms post to us.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Adds the headers every answer gets, and for a document a browser renders
    /// (HTML, SVG) the content security policy and the framing refusal.
    static func apply(_ headers: inout HTTPFields) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        guard let type = headers[.contentType], isDocument(type) else { return }
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xFrameOptions] = "DENY"
    }

    /// Whether a media type is one a browser renders as a document with active content.
    static func isDocument(_ contentType: String) -> Bool {
        let type = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        return type == "text/html" || type == "image/svg+xml" || type == "application/xhtml+xml"
    }
}

/// Adds `SecurityHeaders` to every answer the router gives (lookups answered in the
/// pipeline get them from `Lookup.answer`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        SecurityHeaders.apply(&response.headers)
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
