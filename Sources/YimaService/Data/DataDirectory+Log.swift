import Foundation
import YimaCrypto
import YimaLedger

/// The log's files in a data folder:
///
///     DIR/log/log.key      the log's Ed25519 signing key (0600), made on first use
///     DIR/log/origin       the log's name, the first line of every checkpoint
///     DIR/log/checkpoint   the latest signed checkpoint (a C2SP signed note)
extension DataDirectory {
    public var logFolder: String { (path as NSString).appendingPathComponent("log") }
    private func logFile(_ name: String) -> String { (logFolder as NSString).appendingPathComponent(name) }

    /// The log's signing key, made (Ed25519, mode 0600) the first time it is needed.
    public func logKey() throws(ServiceError) -> PrivateKey {
        let base = logFile("log")
        if !FileManager.default.fileExists(atPath: base + ".key") {
            do {
                try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw .output(.cannotCreateReason, ["path": logFolder, "reason": error.localizedDescription])
            }
            return try KeyGeneration.run(algorithm: .ed25519, base: base, passphrase: nil).key
        }
        return try KeyGeneration.loadPrivateKey(base + ".key", passphraseFile: nil)
    }

    /// The log's name: the saved one, else `proposed`, else `yima/<folder name>`.
    public func logOrigin(proposed: String?) throws(ServiceError) -> String {
        if let saved = try? KeyFile.read(logFile("origin")).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            if let proposed, proposed != saved {
                throw .invalidArgument(.logKeepsName, ["name": saved])
            }
            return saved
        }
        return proposed ?? "yima/\(URL(fileURLWithPath: path).lastPathComponent)"
    }

    /// The last checkpoint this folder signed, verified with its log key.
    public func latestCheckpoint(origin: String, key: PrivateKey) throws(ServiceError) -> Checkpoint? {
        guard let note = try? KeyFile.read(logFile("checkpoint")) else { return nil }
        do {
            return try Checkpoint.open(note, verifiers: [NoteVerifier(name: origin, publicKey: key.publicKey)]).checkpoint
        } catch {
            throw .input(.checkpointNotVerified, ["path": logFile("checkpoint"), "reason": error])
        }
    }

    /// The text of the last checkpoint this folder signed, unverified (nil if none).
    public func latestCheckpointNote() -> String? {
        try? KeyFile.read(logFile("checkpoint"))
    }

    /// Keeps `note` as the latest checkpoint (and the origin, the first time).
    public func saveCheckpoint(_ note: String, origin: String) throws(ServiceError) {
        do {
            if !FileManager.default.fileExists(atPath: logFile("origin")) {
                try (origin + "\n").write(toFile: logFile("origin"), atomically: true, encoding: .utf8)
            }
            try note.write(toFile: logFile("checkpoint"), atomically: true, encoding: .utf8)
        } catch {
            throw .output(.cannotSaveCheckpoint, ["folder": logFolder, "reason": error.localizedDescription])
        }
    }
}
