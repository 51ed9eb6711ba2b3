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
            throw .input(.cannotReadTrustFolder, ["folder": directory, "reason": error.localizedDescription])
        }
        var trusted = TrustedKeys()
        for name in names.sorted() where name.hasSuffix(".pub") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                trusted.insert(try KeyFile.loadPublic(path))
            } catch {
                throw .input {
                    ServiceMessage.pathProblem.text(in: $0, ["path": path, "reason": $0 == .chinese ? ServiceError.wrap(error).message(in: .chinese) : "\(error)"])
                }
            }
        }
        guard !trusted.all.isEmpty else {
            throw .input(.noPubFiles, ["folder": directory])
        }
        return trusted
    }

    /// Reads and checks a trust list file (docs/trust-list.md §3) at the current time.
    public static func loadList(_ path: String, authorities: [PublicKey], now: Instant = .now()) throws(ServiceError) -> VerifiedTrustList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input(.cannotReadTrustList, ["path": path])
        }
        return try VerifiedTrustList(encoded: Array(data), authorities: authorities, now: now)
    }
}
