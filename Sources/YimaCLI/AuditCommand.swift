import ArgumentParser
import Foundation
import YimaLedger
import YimaService
import YimaText

/// `yima audit`: checks a log server the way an independent auditor does
/// (docs/checkpoint.md §Auditing).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit a lookup server's transparency log (日志审计).",
        discussion: """
        Fetches the latest checkpoint, verifies its signature with the pinned log key, proves it \
        consistent with the last checkpoint in the state file, re-hashes every new entry, then saves \
        the new state. Exit status: 0 the log checks out; 20 a check failed (named in the message); \
        1 the server or the state file could not be read; 64 bad usage. On any failure the state file \
        is left as it was.
        """)

    @Option(help: "The lookup server, e.g. https://trace.example.cn") var server: String
    @Option(help: "The auditor's state file (created on the first audit).") var state: String
    @Option(help: "The log's verifier key (`yima log verifier`), or a file holding it; pinned in the state on first use.")
    var key: String?
    @Flag(help: "Re-hash every entry from the first, not only the new ones.") var full = false
    @Option(help: "Also re-hash this many earlier entry bundles, chosen at random, and prove each entry included.")
    var sample = 2
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        let zh = language == .chinese
        try Console.verifying(language) {
            let fetcher = try HTTPFetcher(base: server)
            var saved: AuditState?
            if FileManager.default.fileExists(atPath: state) {
                guard let bytes = FileManager.default.contents(atPath: state) else {
                    throw ServiceError.input("cannot read \(state)", zh: "无法读取 \(state)")
                }
                saved = try AuditState(decoding: Array(bytes), file: state)
            }
            let pinned = try key.map(LogKeyOption.verifier)
            let outcome = try LogAudit.run(fetcher: fetcher, state: saved, key: pinned, full: full, sample: max(0, sample))
            try outcome.state.save(to: state)
            let checkpoint = outcome.state.checkpoint
            let from = outcome.previous.map { zh ? "自 \($0.treeSize) 条起，" : "from \($0.treeSize), " } ?? (zh ? "首次审计，" : "first audit, ")
            print(zh ? "✔ 日志 \(checkpoint.origin) 审计通过：\(checkpoint.treeSize) 条记录（\(from)重新计算 \(outcome.entriesChecked) 条记录的哈希）\n  根哈希 \(checkpoint.rootHash.base64)"
                     : "✔ log \(checkpoint.origin) audited: \(checkpoint.treeSize) records (\(from)\(outcome.entriesChecked) entries re-hashed)\n  root \(checkpoint.rootHash.base64)")
        }
    }
}

/// A log verifier key given on the command line: the key itself or a file holding it.
enum LogKeyOption {
    static func verifier(_ text: String) throws -> NoteVerifier {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !value.contains("+"), let data = FileManager.default.contents(atPath: value) {
            value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        do { return try NoteVerifier(verifierKey: value) } catch {
            throw ServiceError.invalidArgument("\(text) is not a log verifier key: \(error)", zh: "\(text) 不是日志公钥（vkey）：\(error)")
        }
    }

    /// The log key: `--log-key`, else the single `*.vkey` in the trust folder.
    static func resolve(_ option: String?, trust: String) throws -> NoteVerifier {
        if let option { return try verifier(option) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: trust)) ?? []).filter { $0.hasSuffix(".vkey") }.sorted()
        guard let name = names.first else {
            throw ServiceError.invalidArgument("no log key: give --log-key or put the log's .vkey file in \(trust)",
                                               zh: "没有日志公钥：请用 --log-key 给出，或把日志的 .vkey 文件放入 \(trust)")
        }
        return try verifier((trust as NSString).appendingPathComponent(name))
    }
}

extension Console {
    /// Exit status of an audit or chain verification whose check failed (docs/cli.md).
    static let verificationFailedStatus: Int32 = 20

    /// `service`, with a failed check reported by name and status 20.
    static func verifying(_ language: Language, _ body: () throws -> Void) throws {
        try service(language) {
            do { try body() } catch let failure as VerificationFailure {
                throw Failure(message: failure.message(in: language), status: verificationFailedStatus)
            }
        }
    }
}
