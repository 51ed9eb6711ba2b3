import YimaCodes
import YimaCrypto
import YimaRecords

/// One scanned string and what the verifier found.
public struct CodeCheck: Sendable {
    public let scanned: String
    public let code: UnitCode?
    public let verdict: CodeVerdict
    /// With a trust list: the signing key's status (docs/trust-list.md §2, unknown time).
    public var keyStatus: KeyStatus? = nil
    /// With a trust list: the recall notice covering this unit.
    public var recall: RecallNotice? = nil
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

    /// Verifies codes against a checked trust list: the signature, then the key's
    /// status at an unknown time (only revocation counts), then recalls.
    public static func run(_ scanned: [String], trustList: VerifiedTrustList) -> [CodeCheck] {
        run(scanned, trusted: trustList.trustedKeys).map { check in
            guard case .genuine(let key) = check.verdict, let code = check.code else { return check }
            var checked = check
            checked.keyStatus = trustList.registry.status(of: key.id, signedAt: nil)
            checked.recall = trustList.recall(gtin: code.gtin, lot: code.lot, serial: code.serial)
            return checked
        }
    }

    /// The process exit status for a set of verdicts (docs/cli.md §Exit status):
    /// 0 when every code is genuine, otherwise the status of the most serious
    /// finding: forged 10, unknown key 11, malformed 12, signed by a revoked key 15,
    /// recalled 16.
    public static func exitStatus(_ checks: [CodeCheck]) -> Int32 {
        var status: Int32 = 0
        for check in checks {
            let value: Int32 = switch check.verdict {
            case .genuine where check.keyStatus.map({ !$0.isValid }) ?? false: 15
            case .genuine where check.recall != nil: 16
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
