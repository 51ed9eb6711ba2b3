import YimaCodes
import YimaCrypto

/// One scanned string and what the verifier found.
public struct CodeCheck: Sendable {
    public let scanned: String
    public let code: UnitCode?
    public let verdict: CodeVerdict
}

/// Offline verification of unit codes against trusted keys: no network, no store.
public enum CodeVerification {
    /// Verifies every code on every core, keeping input order.
    public static func run(_ scanned: [String], trusted: TrustedKeys) -> [CodeCheck] {
        let verifier = UnitCodeVerifier(trusted: trusted)
        // The transform cannot throw, so neither can the map.
        return (try? ParallelMap.run(scanned, context: { Verifier() }) { context, text in
            let (code, verdict) = verifier.verify(text, using: context)
            return CodeCheck(scanned: text, code: code, verdict: verdict)
        }) ?? []
    }

    /// The process exit status for a set of verdicts (docs/cli.md §Exit status):
    /// 0 when every code is genuine, otherwise the status of the most serious
    /// finding: forged 10, unknown key 11, malformed 12.
    public static func exitStatus(_ checks: [CodeCheck]) -> Int32 {
        var status: Int32 = 0
        for check in checks {
            let value: Int32 = switch check.verdict {
            case .genuine: 0
            case .forged: 10
            case .unknownKey: 11
            case .malformed: 12
            }
            if value != 0 && (status == 0 || value < status) { status = value }
        }
        return status
    }
}
