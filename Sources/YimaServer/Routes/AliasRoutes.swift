import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// External trace codes (docs/api.md §External trace codes): a code a provincial or
/// national platform assigned to a batch or a unit, typed or scanned as
/// `https://HOST/t/{code}`.
///
/// - `GET /t/{code}`: 303 to the batch (`/01/{GTIN}/10/{LOT}`) or to the unit's code
///   with its signature; 400 for a code of the wrong shape, 404 for one no record
///   assigned, as JSON or, for a browser, a small page.
struct AliasRoutes: Sendable {
    let aliases: TraceAliases

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/t/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            let language = request.language
            let root = request.root
            let base = try ResolverBase(root)
            let target: TraceAliases.Target
            do {
                target = try aliases.resolve(code, base: base)
            } catch let error as ServiceError {
                switch error {
                case .record(let problem):
                    return Self.refuse(APIError(.badRequest, "malformed-trace-code", details: ["code": .string(code)]) {
                        ServerMessage.malformedTraceCode.text(in: $0, ["reason": problem.message(in: $0)])
                    }, request: request, language: language)
                case .notFound:
                    return Self.refuse(APIError(.notFound, "unknown-trace-code", .unknownTraceCode, ["code": code],
                                                details: ["code": .string(code)]), request: request, language: language)
                default:
                    throw error
                }
            }
            switch target {
            case .batch(let path, _):
                return Self.redirect(path + (language == .english ? "?lang=en" : ""))
            case .unit(let unit):
                // Relative to the code's host: the printed stem is not signed, the path and signature are.
                return Self.redirect(String(unit.uri.dropFirst(root.count)) + (language == .english ? "&lang=en" : ""))
            }
        }
    }

    private static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The error as JSON, or as a page for a browser (the code may have been typed).
    private static func refuse(_ error: APIError, request: Request, language: Language) -> Response {
        let representation = Representation.choose(format: request.uri.queryParameters["format"],
                                                   accept: request.headers[.accept])
        guard representation == .html else { return error.response(in: language) }
        let message = error.message(in: language).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let html = """
            <!doctype html><html lang="\(language == .chinese ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1"><title>\(ServerMessage.traceCodeTitle.text(in: language))</title></head>
            <body style="font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em">
            <h1 style="font-size:1.3em">\(ServerMessage.traceCodeTitle.text(in: language))</h1>
            <p role="alert" style="color:#b00">\(message)</p></body></html>
            """
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
