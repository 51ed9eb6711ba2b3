import Foundation
import YimaCodes
import YimaCrypto

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
}
