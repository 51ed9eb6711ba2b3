import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords

/// Loads the public keys a verifier trusts from a folder of `.pub` files.
public enum TrustStore {
    /// Reads every `*.pub` in `directory`. A file that is not a usable public key is
    /// an error naming the file: a trust folder must never be half-read silently.
    public static func load(directory: String) throws(ServiceError) -> TrustedKeys {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .input("cannot read trust folder \(directory): \(error.localizedDescription)",
                         zh: "无法读取信任密钥目录 \(directory)")
        }
        var trusted = TrustedKeys()
        for name in names.sorted() where name.hasSuffix(".pub") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                trusted.insert(try KeyFile.loadPublic(path))
            } catch {
                throw .input("\(path): \(error)", zh: "\(path)：\(ServiceError.wrap(error).message(in: .chinese))")
            }
        }
        guard !trusted.all.isEmpty else {
            throw .input("no .pub files in trust folder \(directory)", zh: "信任密钥目录 \(directory) 中没有 .pub 文件")
        }
        return trusted
    }

    /// Reads and checks a trust list file (docs/trust-list.md §3) at the current time.
    public static func loadList(_ path: String, authorities: [PublicKey], now: Instant = .now()) throws(ServiceError) -> VerifiedTrustList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input("cannot read trust list \(path)", zh: "无法读取信任列表 \(path)")
        }
        return try VerifiedTrustList(encoded: Array(data), authorities: authorities, now: now)
    }
}
