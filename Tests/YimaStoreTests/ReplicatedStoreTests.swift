import Foundation
import Testing
import YimaCrypto
import YimaPostgres
import YimaStore
import YimaTestSupport

/// `ReplicatedStore` over a real primary and a streaming hot standby (pg_basebackup
/// -R): reads come from the standby, except this process's own writes until the
/// standby has replayed them; the lag is measured; an unreachable standby sends reads
/// to the primary.
@Suite struct ReplicatedStoreTests {
    static func party(_ tag: String) -> NewRecord {
        let envelope = Array("replicated party \(tag)".utf8)
        return NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677", envelope: envelope)
    }

    @Test(arguments: Engine.postgresOnly) func readsYourWritesFromTheStandby(_ engine: Engine) throws {
        let primary = try PrivateCluster()
        let standby = try PrivateCluster(standbyOf: primary)
        let url = try primary.newDatabase()
        let name = String(URLComponents(string: url)!.path.dropFirst())
        _ = try PostgresStore(url: url)   // the schema, on the primary
        let replicaURL = PrivateCluster.url(standby.url, database: name)
        var store: ReplicatedStore?
        for _ in 0..<100 where store == nil {
            store = try? ReplicatedStore(primary: url, replica: replicaURL)
            if store == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let replicated = try #require(store, "the standby never had the schema")

        let first = try replicated.append(Self.party("first"), expectedHead: nil)
        #expect(try replicated.record(id: first.id) != nil)

        try standby.psql("SELECT pg_wal_replay_pause()")
        let second = try replicated.append(Self.party("second"), expectedHead: nil)
        #expect(try replicated.record(id: second.id) != nil, "a write must be readable at once")
        #expect(try replicated.replica.record(id: second.id) == nil, "replay is paused")
        let lag = try replicated.replicaLag()
        #expect(lag.bytes > 0 && lag.readsOnPrimary > 0, "\(lag)")

        try standby.psql("SELECT pg_wal_replay_resume()")
        var caughtUp = false
        for _ in 0..<100 where !caughtUp {
            caughtUp = try replicated.replica.record(id: second.id) != nil && replicated.replicaLag().bytes == 0
            if !caughtUp { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(caughtUp)

        // A standby that goes away: reads fall back to the primary.
        try standby.stop()
        #expect(try replicated.recordCount() == 2)
    }
}
