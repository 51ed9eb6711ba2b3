import YimaRecords

/// A unit's chain as `yima chain` reports it: the chain, what re-checking it found,
/// and the exit status that verdict earns (docs/cli.md §yima chain).
public struct ChainInspection: Sendable {
    public let chain: UnitChain
    /// What `verifyChain` found, in order (empty: intact); nil when not re-checked.
    public let problems: [ChainFailure]?

    /// Exit status of a code whose batch is not in this store.
    public static let notInStoreStatus: Int32 = 13

    /// 0 genuine and intact; 10 forged; 13 not issued here; 14 a broken chain;
    /// 15 the code's key was not valid; 16 genuine but recalled.
    public var exitStatus: Int32 {
        switch chain.verdict {
        case .genuine: !(problems ?? []).isEmpty ? 14 : chain.recall != nil ? 16 : 0
        case .forged: 10
        case .notIssued: Self.notInStoreStatus
        case .keyNotValid: 15
        }
    }
}

extension UnitVerdict {
    /// The verdict's stable name, as `yima chain --json` and the API write it.
    public var name: String {
        switch self {
        case .genuine: "genuine"
        case .forged: "forged"
        case .notIssued: "not-issued"
        case .keyNotValid: "key-not-valid"
        }
    }
}

extension CodeResolver {
    /// The chain of a scanned code, read fresh and re-checked when `verify` (every
    /// signature and hash link, `verifyChain`). Throws `.notFound` when the code's batch
    /// is not in this store.
    public func inspect(_ scanned: String, verify: Bool) throws(ServiceError) -> ChainInspection {
        let chain = try chain(for: scanned, fresh: verify)
        return ChainInspection(chain: chain, problems: verify ? verifyChain(chain) : nil)
    }
}
