import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import YimaService

/// The Yima HTTP server (docs/api.md): code lookups with the consumer page, JSON and
/// linkset; the signed write API; PINs; the log's checkpoint and tiles; certificates,
/// containers, short codes and reports. Each route group is a type of its own with
/// the use cases it needs; this only builds them and the HTTP plumbing.
public struct TraceServer: Sendable {
    public let useCases: UseCases
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    /// This server's resolver: its own caches, sized by `configuration`.
    public let resolver: CodeResolver
    public let scans: ScanRecorder
    let secret: ServerSecret
    let lookup: Lookup
    let requestLog: RequestLog
    let logger: Logger
    /// Signs and serves the log's checkpoints; without it `/checkpoint` is 404 (tiles are still served).
    public var log: LogPublisher?

    public init(useCases: UseCases, secret: ServerSecret, configuration: ServerConfiguration,
                metrics: ServerMetrics = ServerMetrics(), logger: Logger = Logger(label: "yima.server")) async throws {
        self.useCases = useCases
        self.secret = secret
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        var options = CodeResolver.Options()
        options.cachedBatches = configuration.cachedBatches
        options.cachedUnits = configuration.cachedUnits
        options.indexedUnits = configuration.indexedUnits
        options.batchStateMaxAge = configuration.batchStateMaxAge
        options.observer = ResolverMetrics(metrics: metrics, logger: logger)
        resolver = useCases.resolver(options)
        scans = ScanRecorder(counting: useCases.scanCounting, interval: configuration.scanFlushInterval,
                             batch: configuration.scanFlushBatch, capacity: configuration.cachedUnits,
                             warningThreshold: configuration.copyWarningClients, logger: logger, metrics: metrics)
        requestLog = RequestLog(metrics: metrics)
        lookup = Lookup(resolver: resolver, scans: scans, renderer: try await PageRenderer(templates: configuration.templates),
                        pseudonyms: ClientPseudonyms(secret: secret), configuration: configuration, metrics: metrics, logger: logger)
    }

    /// The router with every route group and middleware.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints)
        let allowed = AllowedMethods()
        router.add(middleware: RequestLogMiddleware(log: requestLog))
        router.add(middleware: CORSMiddleware(allowed: allowed))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger, maximumTargetLength: configuration.maximumTargetLength))
        router.add(middleware: MethodNotAllowedMiddleware(allowed: allowed))
        let body = RequestBody(limit: configuration.bodyLimit, timeout: configuration.requestTimeout)
        LookupRoutes(lookup: lookup).addRoutes(to: router)
        if let workbench = configuration.workbench { WorkbenchRoutes(folder: workbench).addRoutes(to: router) }
        let write = WriteRoutes(recording: useCases.recording, resolver: resolver, body: body)
        write.addRoutes(to: router)
        let json = JSONRequest(body: body)
        RuleRoutes().addRoutes(to: router)
        CheckRoutes(recording: useCases.recording, json: json).addRoutes(to: router)
        RegistrationRoutes(registrations: useCases.registrations, secret: secret, configuration: configuration).addRoutes(to: router)
        IssuanceRoutes(issuance: useCases.issuance,
                       json: JSONRequest(body: RequestBody(limit: configuration.issuanceBodyLimit, timeout: configuration.requestTimeout)),
                       write: write).addRoutes(to: router)
        LabelRequestRoutes(labelling: useCases.labelling, json: json, templates: configuration.templates,
                           trustForwardedFor: configuration.trustForwardedFor).addRoutes(to: router)
        PinRoutes(issuance: useCases.issuance, secret: secret, configuration: configuration, body: body).addRoutes(to: router)
        ShortCodeRoutes(resolver: resolver).addRoutes(to: router)
        AliasRoutes(aliases: useCases.traceAliases).addRoutes(to: router)
        ContainerRoutes(resolver: resolver).addRoutes(to: router)
        CertificateRoutes(certificates: useCases.certificates, templates: configuration.templates).addRoutes(to: router)
        EPCISRoutes(epcis: useCases.epcis).addRoutes(to: router)
        ReportRoutes(reports: useCases.reports, secret: secret, configuration: configuration).addRoutes(to: router)
        LogRoutes(transparency: useCases.transparency, publisher: log, logger: logger).addRoutes(to: router)
        OperationsRoutes(resolver: resolver, scans: scans, metrics: metrics, replication: useCases.replication).addRoutes(to: router)
        // Last: the table of methods per path sees every route above.
        allowed.load(router.routes)
        return router
    }

    /// The application: the router on `host:port` behind the lookup pipeline, with the
    /// scan recorder as a service that stops after the HTTP server (so its last flush
    /// sees every scan).
    public func application() -> some ApplicationProtocol {
        let server = HTTPServerBuilder { responder in
            LookupHTTPChannel(responder: responder, lookup: lookup, requestLog: requestLog, logger: logger,
                              idleTimeout: configuration.idleTimeout)
        }
        var app = Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: Self.serverName),
            logger: logger)
        app.addServices(scans)
        return app
    }

    static let serverName = "yima"

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
