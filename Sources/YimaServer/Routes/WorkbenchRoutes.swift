import Foundation
import HTTPTypes
import Hummingbird
import YimaCrypto

/// `GET`/`HEAD /workbench/…`: the producer workbench's static files (docs/api.md
/// §Static files), read from its folder on each request so an update shows at once;
/// revalidated by ETag, never by age, so a service worker sees a new version at once.
/// Nothing outside the folder is reachable: the raw path is checked segment by
/// segment before it touches the file system, and the resolved file again after.
struct WorkbenchRoutes: Sendable {
    /// The folder, resolved (symlinks followed) once.
    let folder: String

    init(folder: String) {
        self.folder = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
    }

    /// The security headers of every answer under `/workbench`.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
    ]

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "json": "application/json; charset=utf-8",
        "webmanifest": "application/manifest+json; charset=utf-8", "svg": "image/svg+xml", "png": "image/png",
        "ico": "image/x-icon", "woff2": "font/woff2", "txt": "text/plain; charset=utf-8",
    ]

    func addRoutes(to router: Router<ServerContext>) {
        router.add(middleware: WorkbenchMiddleware(routes: self))
    }

    /// The answer to `method` on the raw request path `path` (which starts with `/workbench`).
    func answer(path: String, method: HTTPRequest.Method, ifNoneMatch: String?) -> Response {
        var headers = Self.securityHeaders
        guard method == .get || method == .head else {
            headers[.allow] = "GET, HEAD"
            return APIError(.methodNotAllowed, "method-not-allowed", .methodNotAllowed, headers: headers).response(in: .chinese)
        }
        let rest = path.dropFirst("/workbench".count)
        if rest.isEmpty {
            headers[.location] = "/workbench/"
            return Response(status: .permanentRedirect, headers: headers)
        }
        guard rest.hasPrefix("/"), let file = file(for: String(rest.dropFirst())), let data = FileManager.default.contents(atPath: file) else {
            return APIError(.notFound, "not-found", .notFound, headers: headers).response(in: .chinese)
        }
        let tag = "\"" + Hex.encode(Digest.sha256(data).prefix(16)) + "\""
        headers[.eTag] = tag
        headers[.cacheControl] = "no-cache"
        let name = (file as NSString).lastPathComponent
        let suffix = (name as NSString).pathExtension.lowercased()
        headers[.contentType] = Self.contentTypes[suffix] ?? "application/octet-stream"
        if suffix == "js" || suffix == "mjs" { headers[.serviceWorkerAllowed] = "/workbench/" }
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: method == .head ? ByteBuffer() : ByteBuffer(bytes: data)))
    }

    /// The file a relative path names, if it is a plain file inside the folder: each
    /// segment 1–255 of `A–Z a–z 0–9 . _ -`, not starting with `.`; no `%` (no encoded
    /// `..` or `/`); an empty last segment is the folder's `index.html`.
    func file(for relative: String) -> String? {
        var segments = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.last == "" { segments[segments.count - 1] = "index.html" }
        for segment in segments {
            guard (1...255).contains(segment.utf8.count), segment.first != ".", segment.utf8.allSatisfy(Self.isPathByte) else { return nil }
        }
        let candidate = URL(fileURLWithPath: folder).appendingPathComponent(segments.joined(separator: "/")).resolvingSymlinksInPath().path
        guard candidate.hasPrefix(folder + "/") else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        return candidate
    }

    static func isPathByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }
}

/// Answers every request under `/workbench` before the router, from the raw path
/// (the router would decode `%2e%2e` and drop empty segments).
struct WorkbenchMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let routes: WorkbenchRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let target = request.head.path ?? ""
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard path == "/workbench" || path.hasPrefix("/workbench/") else { return try await next(request, context) }
        return routes.answer(path: path, method: request.method, ifNoneMatch: request.headers[.ifNoneMatch])
    }
}

extension HTTPField.Name {
    static let serviceWorkerAllowed = HTTPField.Name("Service-Worker-Allowed")!
}
