import ArgumentParser
import Foundation
import YimaRecords
import YimaService
import YimaText

/// `yima upload`: upward reporting to a city, provincial or national platform
/// (docs/upload.md): every record the receiver has not accepted, in order, in
/// batches under idempotency keys; safe to stop and run again at any moment.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Report records upward to a provincial or national platform (数据上报).",
        discussion: "Resumes where the receiver's last acceptance left off. --status shows what is pending and the last error.")

    @OptionGroup var data: DataOptions
    @Option(help: "The receiver's URL (docs/upload.md §Receiver protocol).") var to: String?
    @Option(help: "national (NY/T 4712-2025) or epcis.") var format = "national"
    @Option(help: "Records per batch.") var batchSize = 200
    @Option(help: "Attempts per batch before giving up.") var maxAttempts = 8
    @Option(help: "First retry waits up to this many milliseconds; each further one up to twice as long (random).")
    var retryBaseMs = 500
    @Option(help: "Longest wait between attempts, in milliseconds.") var retryMaxMs = 60_000
    @Option(help: "Time limit per request, in seconds.") var timeoutSeconds = 30.0
    @Flag(help: "Show the pending count and the last error instead of uploading.") var status = false
    @Flag(help: "With --status: JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let language = global.language
        do {
            let useCases = try data.useCases()
            if status {
                let states = try useCases.uploader.status(receiver: to)
                if json {
                    Console.printJSON(.array(states.map(\.json)))
                } else if states.isEmpty {
                    print(CLIMessage.uploadNoReceivers.text(in: language))
                } else {
                    for state in states { print(Self.describe(state, language: language)) }
                }
                return
            }
            guard let to else { throw ServiceError.invalidArgument(.uploadNeedsReceiver) }
            guard let chosen = UploadFormat(rawValue: format) else {
                throw ServiceError.invalidArgument(.uploadFormatUnknown, ["format": format])
            }
            var options = Uploader.Options()
            options.batchSize = batchSize
            options.maxAttempts = max(1, maxAttempts)
            options.baseDelay = .milliseconds(max(1, retryBaseMs))
            options.maxDelay = .milliseconds(max(retryBaseMs, retryMaxMs))
            let summary = try await useCases.uploader.run(to: to, format: chosen,
                                                          transport: HTTPUploadTransport(timeoutSeconds: timeoutSeconds),
                                                          options: options)
            print(CLIMessage.uploaded.text(in: language, ["records": summary.records, "batches": summary.batches,
                                                         "retries": summary.retries, "receiver": to]))
        } catch {
            Console.error(ServiceError.wrap(error).message(in: language))
            throw ExitCode(1)
        }
    }

    static func describe(_ state: UploadStatus, language: Language) -> String {
        var lines = [CLIMessage.uploadStatusLine.text(in: language, [
            "receiver": state.position.receiver, "pending": state.pendingRecords,
            "accepted": state.position.acceptedThrough + 1, "total": state.logSize,
        ])]
        if let pending = state.position.pending {
            lines.append(CLIMessage.uploadInFlight.text(in: language, ["first": pending.first, "last": pending.last, "key": pending.key]))
        }
        if let error = state.position.lastError {
            lines.append(CLIMessage.uploadLastError.text(in: language, ["error": error,
                                                                        "time": state.position.lastErrorAt.map(RFC3339.utc) ?? "-"]))
        }
        return lines.joined(separator: "\n")
    }
}
