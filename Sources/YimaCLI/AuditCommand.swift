import ArgumentParser
import Foundation
import YimaLedger
import YimaRecords
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

        With --units (and --data or --database instead of --server), audits a store's issued sets \
        instead (docs/issuance-commitment.md §4): every unit-issuance event's units_root recomputed from \
        the units the store serves. Exit 20 when a root or count does not match or units are unaccounted for.
        """)

    @Option(help: "The lookup server, e.g. https://trace.example.cn") var server: String?
    @Option(help: "The auditor's state file (created on the first audit).") var state: String?
    @Flag(help: "Audit a store's issued sets (with --data or --database) instead of a server's log.") var units = false
    @Option(help: "With --units: only this batch, GTIN/LOT.") var batch: String?
    @OptionGroup var data: DataOptions
    @Option(help: "The log's verifier key (`yima log verifier`), or a file holding it; pinned in the state on first use.")
    var key: String?
    @Flag(help: "Re-hash every entry from the first, not only the new ones.") var full = false
    @Option(help: "Also re-hash this many earlier entry bundles, chosen at random, and prove each entry included.")
    var sample = 2
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        if units { return try auditUnits(language) }
        guard let server, let state else {
            throw ValidationError(CLIMessage.auditNeedsServerOrData.text(in: language))
        }
        try Console.verifying(language) {
            let fetcher = try HTTPFetcher(base: server)
            var saved: AuditState?
            if FileManager.default.fileExists(atPath: state) {
                guard let bytes = FileManager.default.contents(atPath: state) else {
                    throw ServiceError.input(.cannotRead, ["path": state])
                }
                saved = try AuditState(decoding: Array(bytes), file: state)
            }
            let pinned = try key.map(LogKeyOption.verifier)
            let outcome = try LogAudit.run(fetcher: fetcher, state: saved, key: pinned, full: full, sample: max(0, sample))
            try outcome.state.save(to: state)
            let checkpoint = outcome.state.checkpoint
            let from = outcome.previous.map { CLIMessage.auditFrom.text(in: language, ["size": $0.treeSize]) }
                ?? CLIMessage.auditFirst.text(in: language)
            print(CLIMessage.audited.text(in: language, ["origin": checkpoint.origin, "size": checkpoint.treeSize, "from": from,
                                                         "entries": outcome.entriesChecked, "root": checkpoint.rootHash.base64]))
        }
    }
}

extension AuditCommand {
    /// `--units`: the store's issued sets against their events' roots.
    func auditUnits(_ language: Language) throws {
        try Console.verifying(language) {
            let audit = try data.useCases().issuance.auditIssuedSets(batch: batch.map { try BatchReference(key: $0) })
            var mismatches = 0
            for check in audit.checks {
                let arguments: KeyValuePairs<String, Any> = ["batch": check.batchKey, "event": check.eventID.hex.prefix(16),
                                                             "count": check.issuance.count]
                switch check.verdict {
                case .holds:
                    print(CLIMessage.auditUnitsHolds.text(in: language, arguments))
                case .mismatch(let served, let root):
                    mismatches += 1
                    print(CLIMessage.auditUnitsMismatch.text(in: language, ["batch": check.batchKey, "event": check.eventID.hex.prefix(16),
                                                                           "count": check.issuance.count, "served": served,
                                                                           "root": root ?? "—", "committed": check.issuance.unitsRoot?.hex ?? ""]))
                case .notCommitted:
                    print(CLIMessage.auditUnitsNotCommitted.text(in: language, arguments))
                case .ambiguous:
                    print(CLIMessage.auditUnitsAmbiguous.text(in: language, arguments))
                }
            }
            for (batch, count) in audit.strayUnits.sorted(by: { $0.key < $1.key }) {
                print(CLIMessage.auditUnitsStray.text(in: language, ["batch": batch, "count": count]))
            }
            print(CLIMessage.auditUnitsSummary.text(in: language, ["events": audit.checks.count, "mismatches": mismatches,
                                                                  "stray": audit.strayUnits.count]))
            if !audit.holds {
                throw VerificationFailure("issued-set", CLIMessage.auditUnitsFailed.text(in: .english),
                                          zh: CLIMessage.auditUnitsFailed.text(in: .chinese))
            }
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
            throw ServiceError.invalidArgument(.notVerifierKey, ["key": text, "reason": error])
        }
    }

    /// The log key: `--log-key`, else the single `*.vkey` in the trust folder.
    static func resolve(_ option: String?, trust: String) throws -> NoteVerifier {
        if let option { return try verifier(option) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: trust)) ?? []).filter { $0.hasSuffix(".vkey") }.sorted()
        guard let name = names.first else {
            throw ServiceError.invalidArgument(.noLogKey, ["folder": trust])
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
