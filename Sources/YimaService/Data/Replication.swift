import YimaStore

/// The read replica behind a store opened with a read database (`yima serve
/// --read-database`, issue 13 §5): how far it trails, for /metrics and alerts.
public struct Replication: Sendable {
    let status: any ReplicaStatus

    /// WAL bytes and seconds behind, and reads sent to the primary for read-your-writes;
    /// nil when the primary or the replica cannot be read.
    public func lag() -> (bytes: Int64, seconds: Double, readsOnPrimary: Int64)? {
        guard let lag = try? status.replicaLag() else { return nil }
        return (lag.bytes, lag.seconds, lag.readsOnPrimary)
    }
}
