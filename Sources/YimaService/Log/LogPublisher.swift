import Synchronization
import YimaCrypto
import YimaLedger

/// Publishes the log's latest signed checkpoint (c2sp.org/tlog-checkpoint) for a
/// server: signs a new one only when the log has grown since the last, through
/// `signCheckpoint`, which refuses to sign over a rewritten or shrunk history, and
/// keeps it in the data folder as `yima log checkpoint` does.
public final class LogPublisher: Sendable {
    public let origin: String
    /// The log's verifier key (c2sp.org/signed-note), for auditors.
    public let verifier: NoteVerifier
    private let directory: DataDirectory
    private let key: PrivateKey
    private let latest: Mutex<(checkpoint: Checkpoint, note: String)?>

    public init(directory: DataDirectory) throws(ServiceError) {
        self.directory = directory
        key = try directory.logKey()
        origin = try directory.logOrigin(proposed: nil)
        do { verifier = try NoteVerifier(name: origin, publicKey: key.publicKey) } catch {
            throw .invalidArgument(.logKeyCannotSign, ["reason": error])
        }
        let saved = try directory.latestCheckpoint(origin: origin, key: key)
        latest = Mutex(saved.flatMap { checkpoint in directory.latestCheckpointNote().map { (checkpoint, $0) } })
    }

    /// The latest signed checkpoint note, covering every record stored now.
    public func checkpoint(of log: Transparency) throws(ServiceError) -> String {
        let size = try log.treeSize()
        if let current = latest.withLock({ $0 }), current.checkpoint.treeSize == size { return current.note }
        return try latest.withLock { current throws(ServiceError) -> String in
            // Another request may have signed while this one waited.
            if let current, current.checkpoint.treeSize >= size { return current.note }
            let signed = try log.signCheckpoint(origin: origin, key: key, previous: current?.checkpoint)
            try directory.saveCheckpoint(signed.note, origin: origin)
            current = (signed.checkpoint, signed.note)
            return signed.note
        }
    }
}
