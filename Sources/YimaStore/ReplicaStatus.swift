/// How far a read replica trails its primary, for a store that reads from one
/// (`yima serve --read-database`, issue 13 §5).
public struct ReplicaLag: Sendable, Equatable {
    /// WAL bytes the primary has written that the replica has not replayed.
    public let bytes: Int64
    /// Seconds since the replica replayed a transaction it has not caught up past (0 when caught up).
    public let seconds: Double
    /// Reads that went to the primary because the replica had not yet replayed this process's latest write.
    public let readsOnPrimary: Int64

    public init(bytes: Int64, seconds: Double, readsOnPrimary: Int64) {
        self.bytes = bytes
        self.seconds = seconds
        self.readsOnPrimary = readsOnPrimary
    }
}

/// A store that reads from a replica: its lag, for monitoring, and the same store
/// reading from the primary, for the use cases that write.
public protocol ReplicaStatus: Sendable {
    /// The same store with every read on the primary (its writes still count for
    /// read-your-writes).
    var writer: any TraceStore { get }
    /// The replica's lag now; throws when the primary or the replica cannot be read.
    func replicaLag() throws(StoreError) -> ReplicaLag
}
