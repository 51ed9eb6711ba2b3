import ArgumentParser
import Foundation
import Logging
import YimaCLI
import YimaLabels
import YimaServer
import YimaService

/// `yima serve`: the lookup server (docs/api.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the lookup server: scan resolver, consumer page, JSON, linkset, write API (查询服务).",
        discussion: "Stops gracefully on SIGTERM or SIGINT: requests in flight finish and every counted scan is written.")

    @OptionGroup var data: DataOptions
    @Option(help: "A hot standby of --database for lookups, postgres://… (default $YIMA_READ_DATABASE); writes, scans and PINs go to --database, and this server's own writes are read from there until the standby has them.")
    var readDatabase: String?
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Folder of the Mustache templates (default $YIMA_TEMPLATES, else templates/ in the working folder or above the executable).")
    var templates: String?
    @Option(help: "Warn that a code may be copied once more than this many distinct clients scanned it.")
    var copyWarningClients = 5
    @Flag(help: "Take the client address from X-Forwarded-For and the scheme from X-Forwarded-Proto (only behind a reverse proxy that sets them).")
    var trustForwardedFor = false
    @Option(help: "Largest request body in bytes.") var bodyLimit = 64 * 1024
    @Option(help: "Write counted scans at least every this many milliseconds.") var scanFlushMs = 250
    @Option(help: "Reuse a batch's state for up to this many milliseconds (records added by other processes show within it; 0: read on every lookup).")
    var batchStateMaxAgeMs = 1000
    @Option(help: "Most issued units held in memory for lookups (about 21 bytes each; 0: always read the store).")
    var indexedUnits = 20_000_000
    @Option(help: "Reports (/api/v1/report) each client may ask for per minute; more get 429.")
    var reportRequestsPerMinute = 30
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Report records upward to this receiver in the background (docs/upload.md).") var uploadTo: String?
    @Option(help: "With --upload-to: national (NY/T 4712-2025) or epcis.") var uploadFormat = "national"
    @Option(help: "With --upload-to: seconds between rounds once nothing is pending.") var uploadIntervalSeconds = 60
    @Option(help: "With --upload-to: records per batch.") var uploadBatchSize = 200
    @Option(help: "The producer workbench's static files (default $YIMA_WORKBENCH, else workbench/ in the working folder or above the executable).")
    var workbench: String?
    @Option(help: "Largest body of POST /api/v1/issuances in bytes.") var issuanceBodyLimit = 4 * 1024 * 1024
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let metrics = ServerMetrics()
        let logger = TraceServer.bootstrap(logLevel: logLevel, metrics: metrics)

        let language = global.language
        var directory = data.directory
        directory.readDatabase = readDatabase ?? ProcessInfo.processInfo.environment["YIMA_READ_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
        let useCases: UseCases
        let secret: ServerSecret
        do {
            useCases = try directory.useCases()
            secret = try ServerSecret.load(directory)
        } catch {
            Console.error(error.message(in: language))
            throw ExitCode(1)
        }
        var configuration = ServerConfiguration(templates: TemplateFolder.find(templates))
        configuration.host = host
        configuration.port = port
        configuration.copyWarningClients = copyWarningClients
        configuration.trustForwardedFor = trustForwardedFor
        configuration.bodyLimit = bodyLimit
        configuration.scanFlushInterval = .milliseconds(max(1, scanFlushMs))
        configuration.batchStateMaxAge = .milliseconds(max(0, batchStateMaxAgeMs))
        configuration.indexedUnits = max(0, indexedUnits)
        configuration.reportRequestsPerClient = max(1, reportRequestsPerMinute)
        configuration.workbench = TemplateFolder.workbench(workbench)
        configuration.issuanceBodyLimit = max(1024, issuanceBodyLimit)
        var server: TraceServer
        do {
            server = try await TraceServer(useCases: useCases, secret: secret, configuration: configuration,
                                           metrics: metrics, logger: logger)
            server.log = try LogPublisher(directory: directory)
        } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        let upload = try startUpload(useCases, logger: logger)
        defer { upload?.cancel() }
        logger.info("serving", metadata: ["data": "\(directory.path)", "address": "\(host):\(port)",
                                           "templates": "\(configuration.templates)", "workbench": "\(configuration.workbench ?? "")"])
        try await server.application().runService()
    }

    /// The background upload task, when `--upload-to` asks for one.
    private func startUpload(_ useCases: UseCases, logger: Logger) throws -> Task<Void, Never>? {
        guard let receiver = uploadTo else { return nil }
        guard let format = UploadFormat(rawValue: uploadFormat) else {
            Console.error(ServiceError.invalidArgument("--upload-format must be national or epcis, not \(uploadFormat)",
                                                       zh: "--upload-format 须为 national 或 epcis，而不是 \(uploadFormat)").message(in: global.language))
            throw ExitCode(64)
        }
        var options = Uploader.Options()
        options.batchSize = max(1, uploadBatchSize)
        let uploader = useCases.uploader
        let interval = Duration.seconds(max(1, uploadIntervalSeconds))
        return Task.detached {
            await uploader.runContinuously(to: receiver, format: format, transport: HTTPUploadTransport(timeoutSeconds: 30),
                                           options: options, interval: interval) { result in
                switch result {
                case .success(let summary):
                    logger.info("uploaded", metadata: ["receiver": "\(receiver)", "records": "\(summary.records)",
                                                       "batches": "\(summary.batches)", "retries": "\(summary.retries)"])
                case .failure(let error):
                    logger.warning("upload failed", metadata: ["receiver": "\(receiver)", "error": "\(error.message(in: .english))"])
                }
            }
        }
    }
}
