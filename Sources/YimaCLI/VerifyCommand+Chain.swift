import ArgumentParser
import Foundation
import YimaService
import YimaText

extension VerifyCommand {
    /// `--online CODE` or `--bundle FILE`: the whole chain against a verified
    /// checkpoint (docs/bundle.md §Verification). Exit 0 only when every check holds.
    func verifyChain(_ language: Language) throws {
        let zh = language == .chinese
        try Console.verifying(language) {
            let authorities = try TrustStore.load(directory: trust).all
            let logKey = try LogKeyOption.resolve(self.logKey, trust: trust)
            let summary: ChainVerification.Summary
            if let bundle {
                guard let bytes = FileManager.default.contents(atPath: bundle) else {
                    throw ServiceError.input("cannot read \(bundle)", zh: "无法读取 \(bundle)")
                }
                let unit = try UnitBundle(decoding: Array(bytes))
                summary = try ChainVerification.verify(unit.evidence, logKey: logKey, authorities: authorities,
                                                       proof: unit.proof(leaf:treeSize:))
            } else if let online {
                let fetcher = try HTTPFetcher(base: server ?? RemoteEvidence.resolver(of: online))
                let remote = try RemoteEvidence.fetch(online, from: fetcher)
                summary = try ChainVerification.verify(remote.evidence, logKey: logKey, authorities: authorities,
                                                       proof: remote.proof(leaf:treeSize:))
            } else {
                return
            }
            let checkpoint = summary.checkpoint
            print(zh ? "✔ 全部校验通过：\(summary.records) 条记录（\(summary.events) 条事件）的签名、哈希链与日志包含证明，码由 \(summary.issuer) 签发\n  检查点 \(checkpoint.origin) \(checkpoint.treeSize) 条，根哈希 \(checkpoint.rootHash.base64)"
                     : "✔ every check holds: signatures, hash links and log inclusion of \(summary.records) records (\(summary.events) events); code issued by \(summary.issuer)\n  checkpoint \(checkpoint.origin) size \(checkpoint.treeSize) root \(checkpoint.rootHash.base64)")
        }
    }
}
