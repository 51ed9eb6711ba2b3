import Foundation
import YimaCodes
import YimaCrypto

/// Creates an issuer's signing key pair on disk: `NAME.key` (PKCS#8 PEM, 0600,
/// optionally passphrase-encrypted) and `NAME.pub` (SubjectPublicKeyInfo PEM).
public enum KeyGeneration {
    public static func run(algorithm: SignatureAlgorithm, base: String, passphrase: String?) throws(ServiceError) -> (key: PrivateKey, privatePath: String, publicPath: String) {
        do {
            // A missing key folder is created owner-only: it will hold private keys.
            let folder = PathNames.folder(of: base)
            if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            let key = try PrivateKey.generate(algorithm)
            let paths = try KeyFile.save(key, to: base, passphrase: passphrase)
            return (key, paths.privatePath, paths.publicPath)
        } catch {
            throw ServiceError.wrap(error)
        }
    }

    /// Loads a signing key, reading the passphrase from a file when one is given
    /// (its first line; the file, not the command line, keeps it out of `ps`).
    public static func loadPrivateKey(_ path: String, passphraseFile: String?) throws(ServiceError) -> PrivateKey {
        do {
            return try KeyFile.loadPrivate(path, passphrase: passphraseFile.map(readPassphrase))
        } catch {
            throw ServiceError.wrap(error)
        }
    }

    public static func readPassphrase(_ path: String) throws -> String {
        let text = try KeyFile.read(path)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let passphrase = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !passphrase.isEmpty else {
            throw ServiceError.input(.passphraseEmpty, ["path": path])
        }
        return passphrase
    }
}
