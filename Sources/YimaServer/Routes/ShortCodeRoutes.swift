import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YimaCodes
import YimaService
import YimaText

/// Typed short codes (docs/labels.md §Short code, docs/api.md): a consumer whose camera
/// fails types the code printed under the QR at `/c`, and is sent to the unit's page.
///
/// - `GET /c`: a small form (zh, or en with `?lang=en`).
/// - `GET /c/{code}` or `GET /c?code=…`: 303 to the unit's code path with its signature;
///   400 if the check symbol is wrong (a typo), 404 if no unit has that serial.
struct ShortCodeRoutes: Sendable {
    let resolver: CodeResolver

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/c") { request, _ in
            guard let typed = request.uri.queryParameters["code"], !typed.isEmpty else {
                return Self.shortCodePage(request.language, message: nil, status: .ok)
            }
            return try resolveShortCode(String(typed), request: request, language: request.language)
        }
        router.get("/c/:code") { request, context in
            try resolveShortCode(context.parameters.get("code") ?? "", request: request, language: request.language)
        }
    }

    private func resolveShortCode(_ typed: String, request: Request, language: Language) throws -> Response {
        guard let short = ShortCode(typed: typed) else {
            return Self.shortCodePage(language, message: ServerMessage.shortCodeInvalid.text(in: language, ["typed": typed]),
                                      status: .badRequest)
        }
        let root = request.root
        let base = try ResolverBase(root)
        let units = try resolver.resolve(short, base: base)
        guard let unit = units.first else {
            return Self.shortCodePage(language, message: ServerMessage.shortCodeUnknown.text(in: language, ["code": short]),
                                      status: .notFound)
        }
        // Relative to the code's host: the printed stem is not signed, the path and signature are.
        let location = String(unit.uri.dropFirst(root.count)) + (language == .english ? "&lang=en" : "")
        return Response(status: units.count == 1 ? .seeOther : .multipleChoices,
                        headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The form to type a short code in, with an error message when one was wrong.
    static func shortCodePage(_ language: Language, message: String?, status: HTTPResponse.Status) -> Response {
        let zh = language == .chinese
        let title = ServerMessage.shortCodeTitle.text(in: language)
        let hint = ServerMessage.shortCodeHint.text(in: language)
        let button = ServerMessage.shortCodeButton.text(in: language)
        let escaped = message.map { $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        let html = """
            <!doctype html><html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1"><title>\(title)</title></head>
            <body style="font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em">
            <h1 style="font-size:1.3em">\(title)</h1><p>\(hint)</p>\(escaped.map { "<p role=\"alert\" style=\"color:#b00\">\($0)</p>" } ?? "")
            <form method="get" action="/c"><input name="code" autocomplete="off" autocapitalize="characters" required
            style="font-size:1.2em;width:12em;letter-spacing:.1em"><input type="hidden" name="lang" value="\(zh ? "zh" : "en")">
            <button style="font-size:1.2em">\(button)</button></form></body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
