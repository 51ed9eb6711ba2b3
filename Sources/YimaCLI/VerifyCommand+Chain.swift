import ArgumentParser
import Foundation
import YimaRecords
import YimaService
import YimaText

extension VerifyCommand {
    /// `--online CODE` or `--bundle FILE`: the whole chain against a verified
    /// checkpoint (docs/bundle.md §Verification). Exit 0 only when every check holds.
    func verifyChain(_ language: Language) throws {
        try Console.verifying(language) {
            let authorities = try TrustStore.load(directory: trust).all
            let logKey = try LogKeyOption.resolve(self.logKey, trust: trust)
            let summary: ChainVerification.Summary
            var issuance: IssuanceStatus?
            if let bundle {
                guard let bytes = FileManager.default.contents(atPath: bundle) else {
                    throw ServiceError.input(.cannotRead, ["path": bundle])
                }
                let unit = try UnitBundle(decoding: Array(bytes))
                summary = try ChainVerification.verify(unit.evidence, logKey: logKey, authorities: authorities,
                                                       proof: unit.proof(leaf:treeSize:))
                issuance = try unit.verifyIssuance()
                if requireIssuance { try issuance?.requireProven() }
            } else if let online {
                let fetcher = try HTTPFetcher(base: server ?? RemoteEvidence.resolver(of: online))
                let remote = try RemoteEvidence.fetch(online, from: fetcher)
                summary = try ChainVerification.verify(remote.evidence, logKey: logKey, authorities: authorities,
                                                       proof: remote.proof(leaf:treeSize:))
            } else {
                return
            }
            let checkpoint = summary.checkpoint
            print(CLIMessage.chainVerifiedOffline.text(in: language, ["records": summary.records, "events": summary.events, "issuer": summary.issuer,
                                                                      "origin": checkpoint.origin, "size": checkpoint.treeSize,
                                                                      "root": checkpoint.rootHash.base64]))
            if bundle != nil, let newest = summary.newestEvent {
                print(CLIMessage.bundleEvidenceAsOf.text(in: language, ["time": newest]))
            }
            switch issuance {
            case .proven(let event, let index, let count):
                print(CLIMessage.bundleIssuanceProven.text(in: language, ["event": event.hex, "index": index, "count": count]))
            case .notCommitted:
                print(CLIMessage.bundleIssuanceNotCommitted.text(in: language))
            case .notProven(let count):
                print(CLIMessage.bundleIssuanceNotProven.text(in: language, ["count": count]))
            case nil:
                break
            }
        }
    }
}
