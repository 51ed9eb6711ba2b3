import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import NIOCore
import NIOPosix
import Synchronization
import YimaCodes
import YimaRecords
import YimaService

/// The lookup server (docs/api.md): resolver, consumer page, JSON and linkset,
/// scan counting, PINs and the signed write API, over one `TraceService`.
public struct LookupServer: Sendable {
    public let service: TraceService
    public let secret: ServerSecret
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    public let scans: ScanRecorder
    let engine: LookupEngine
    let pinLimiter: RateLimiter
    let logger: Logger
    let storeCheck = StoreCheck()
    let pseudonyms: ClientPseudonyms
    /// Signs and serves the log's checkpoints; without it `/checkpoint` is 404 (tiles are still served).
    public var log: LogPublisher?

    public init(service: TraceService, secret: ServerSecret, configuration: ServerConfiguration,
                metrics: ServerMetrics = ServerMetrics(), logger: Logger = Logger(label: "yima.server")) async throws {
        guard let scanStore = service.scanStore else {
            throw PageRenderer.TemplateError(message: "the store keeps no scans; the lookup server needs the SQLite store")
        }
        self.service = service
        self.secret = secret
        pseudonyms = ClientPseudonyms(secret: secret)
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        scans = ScanRecorder(store: scanStore, interval: configuration.scanFlushInterval, batch: configuration.scanFlushBatch,
                             capacity: configuration.cachedUnits, warningThreshold: configuration.copyWarningClients,
                             logger: logger, metrics: metrics)
        let renderer = try await PageRenderer(templates: configuration.templates)
        engine = LookupEngine(service: service, scanStore: scanStore, scans: scans, renderer: renderer, metrics: metrics,
                              configuration: configuration, logger: logger)
        pinLimiter = RateLimiter(window: configuration.pinWindow)
    }

    /// The router with every route and middleware.
    public func router() -> Router<LookupContext> {
        let router = Router(context: LookupContext.self)
        router.add(middleware: RequestLogMiddleware(server: self))
        router.add(middleware: ErrorMiddleware(logger: logger, maximumTargetLength: configuration.maximumTargetLength))
        addLookupRoutes(to: router)
        addWriteRoutes(to: router)
        addShortCodeRoutes(to: router)
        addContainerRoutes(to: router)
        addCertificateRoutes(to: router)
        addReportRoutes(to: router)
        addLogRoutes(to: router)
        router.get("/healthz") { _, _ in try self.health() }
        router.on("/healthz", method: .head) { _, _ in try self.health() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: self.metrics.text)))
        }
        return router
    }

    /// The application: the router on `host:port`, with the scan recorder as a
    /// service that stops after the HTTP server (so its last flush sees every scan).
    public func application() -> some ApplicationProtocol {
        let server = HTTPServerBuilder { responder in
            LookupHTTPChannel(responder: responder, server: self, idleTimeout: configuration.idleTimeout)
        }
        var app = Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: Self.serverName),
            logger: logger)
        app.addServices(scans)
        return app
    }

    static let serverName = "yima"

    /// Whether `LookupChannelHandler` answers this request itself: a GET or HEAD of
    /// the code route with a target no longer than allowed, that neither closes nor
    /// upgrades the connection nor expects a 100. Anything else takes the router's way.
    func answersInPipeline(_ head: HTTPRequest) -> Bool {
        guard head.method == .get || head.method == .head, let target = head.path,
              target.utf8.count <= configuration.maximumTargetLength, target.hasPrefix("/01/"),
              head.headerFields[.expect] == nil else { return false }
        if let connection = head.headerFields[.connection]?.lowercased(), connection.contains("close") || connection.contains("upgrade") {
            return false
        }
        let path = target.utf8.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return parts.count == 7 && parts[0].isEmpty && parts.dropFirst().allSatisfy { !$0.isEmpty }
            && parts[3].elementsEqual("10".utf8) && parts[5].elementsEqual("21".utf8)
    }

    /// The request log line and metrics of one answered request (`RequestLogMiddleware`).
    func requestFinished(method: HTTPRequest.Method, path: String, route: String, status: Int, elapsed: Duration, logger: Logger) {
        metrics.requests(status: status, route: route).increment()
        metrics.requestDuration(route: route).record(elapsed)
        logger.info("request", metadata: [
            "method": "\(method)", "path": "\(path.split(separator: "?", maxSplits: 1).first ?? "")", "route": "\(route)",
            "status": "\(status)",
            "micros": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
        ])
    }

    func health() throws -> Response {
        if !storeCheck.isFresh() {
            do { _ = try service.batchState(gtin: "", lot: "") } catch {
                throw APIError.unavailable
            }
            storeCheck.passed()
        }
        return JSONResponse.make(.ok, .object(["status": .string("ok"), "pending_scans": .integer(Int64(scans.pendingCount))]))
    }

    /// The client's address as scan counting and rate limits see it.
    func clientAddress(_ request: Request, context: LookupContext) -> String {
        clientAddress(request.headers, peer: context.remoteAddress?.ipAddress)
    }

    func clientAddress(_ headers: HTTPFields, peer: String?) -> String {
        if configuration.trustForwardedFor, let forwarded = headers[Self.forwardedFor],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return peer ?? "unknown"
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// Client pseudonyms (`ServerSecret.clientID`, an HMAC) of recent addresses, kept so
/// that a phone scanning again, or a carrier's NAT address, costs a lookup rather than
/// an HMAC. Bounded: emptied when full.
final class ClientPseudonyms: Sendable {
    let secret: ServerSecret
    private let known = Mutex([String: [UInt8]]())
    private let capacity = 65_536

    init(secret: ServerSecret) { self.secret = secret }

    func clientID(_ address: String) -> [UInt8] {
        if let id = known.withLock({ $0[address] }) { return id }
        let id = secret.clientID(address)
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[address] = id
        }
        return id
    }
}

/// When the store last answered a health check: probes under load (every few
/// milliseconds from a balancer) need not each read SQLite; one read a second
/// still notices a store that went away.
final class StoreCheck: Sendable {
    static let validity: Duration = .seconds(1)
    private let lastPass = Mutex<ContinuousClock.Instant?>(nil)

    func isFresh(now: ContinuousClock.Instant = .now) -> Bool {
        lastPass.withLock { last in last.map { now - $0 < Self.validity } ?? false }
    }

    func passed(now: ContinuousClock.Instant = .now) { lastPass.withLock { $0 = now } }
}

/// A whole answer in memory: what the lookup path returns, so that both the router
/// and `LookupChannelHandler` can send it.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    /// The body in parts, sent one after the other as they are (so a part shared by
    /// many answers is never copied).
    var body: [ByteBuffer]

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        self.init(status: status, headers: headers, parts: body.readableBytes > 0 ? [body] : [])
    }

    init(status: HTTPResponse.Status, headers: HTTPFields, parts: [ByteBuffer]) {
        self.status = status
        self.headers = headers
        body = parts
    }

    var contentLength: Int { body.reduce(0) { $0 + $1.readableBytes } }

    var response: Response {
        Response(status: status, headers: headers,
                 body: body.count <= 1 ? .init(byteBuffer: body.first ?? ByteBuffer()) : .init(contentsOf: body))
    }
}

enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        bytes(status, CanonicalJSON.encode(value), headers: headers)
    }

    static func bytes(_ status: HTTPResponse.Status, _ bytes: [UInt8], type: String = "application/json; charset=utf-8",
                      headers: HTTPFields = [:]) -> Response {
        reply(status, bytes, type: type, headers: headers).response
    }

    static func reply(_ status: HTTPResponse.Status, _ bytes: [UInt8], type: String = "application/json; charset=utf-8",
                      headers: HTTPFields = [:]) -> Reply {
        var headers = headers
        headers[.contentType] = type
        return Reply(status: status, headers: headers, body: ByteBuffer(bytes: bytes))
    }
}

/// Turns every error into a JSON error body with the right status (docs/api.md
/// §Errors); unexpected errors become a logged 500 with no detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = LookupContext
    let logger: Logger
    let maximumTargetLength: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The language is worked out only for an error: most requests never need it.
        var language: Language { Language.choose(lang: nil, acceptLanguage: request.headers[.acceptLanguage]) }
        if (request.head.path?.utf8.count ?? 0) > maximumTargetLength {
            return APIError.targetTooLong(maximumTargetLength).response(in: language)
        }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response(in: language)
        } catch let error as any HTTPResponseError {
            let mapped: APIError = switch error.status.code {
            case 404: .notFound
            case 405: .methodNotAllowed()
            case 413: .bodyTooLarge(context.maxUploadSize)
            case 400..<500: APIError(error.status, "bad-request", zh: "请求无效", en: "bad request")
            default: .internalError
            }
            if error.status.code >= 500 { logger.error("request failed", metadata: ["error": "\(error)"]) }
            return mapped.response(in: language)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError.internalError.response(in: language)
        }
    }
}

/// One structured log line and the metrics per request. The query is left out of
/// the log: it carries the code's signature, which says nothing useful there.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = LookupContext
    let server: LookupServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        server.requestFinished(method: request.method, path: request.uri.path, route: context.endpointPath ?? "unmatched",
                               status: response.status.code, elapsed: ContinuousClock.now - started, logger: context.logger)
        return response
    }
}

extension LookupServer {
    /// Process-wide setup for `yima serve`: swift-log to standard output at `level`
    /// and swift-metrics into `metrics`' Prometheus registry. Call once per process.
    public static func bootstrap(logLevel: String, metrics: ServerMetrics) -> Logger {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        // Tasks run on the HTTP server's event loops rather than on Swift's own pool,
        // so a request no longer hops between the two thread pools (two wake-ups and
        // context switches per request).
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var logger = Logger(label: "yima.server")
        logger.logLevel = level
        return logger
    }
}
