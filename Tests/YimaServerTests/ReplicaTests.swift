import Foundation
import Testing
import YimaService
import YimaTestSupport

/// `yima serve --read-database` over a real primary and a streaming hot standby on
/// loopback (pg_basebackup -R, scripts/pg-cluster.sh): lookups read the standby,
/// a server reads its own writes at once, the lag is in /metrics, and when the
/// primary stops the standby keeps answering lookups and, promoted, takes writes.
@Suite struct ReplicaTests {
    static func request(_ url: String, post body: String? = nil) throws -> (status: Int, body: String) {
        try TwoServersTests.request(url, post: body)
    }

    static func events(_ server: LocalServer, _ target: String) throws -> Int? {
        let answer = try request(server.base + target)
        guard answer.status == 200, let json = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] else { return nil }
        return (json["events"] as? [Any])?.count
    }

    static func metric(_ server: LocalServer, _ name: String) throws -> Double? {
        let text = try request(server.base + "/metrics").body
        return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test(arguments: Engine.postgresOnly) func lookupsReadTheStandbyAndAServerReadsItsOwnWrites(_ engine: Engine) throws {
        let primary = try PrivateCluster()
        let standby = try PrivateCluster(standbyOf: primary)
        let database = try primary.newDatabase()
        let name = String(URLComponents(string: database)!.path.dropFirst())
        let replica = PrivateCluster.url(standby.url, database: name)
        let fixture = try ServerFixture(database: database)
        let target = ServerFixture.target(fixture.codes[0]) + "&format=json"
        func serve(_ arguments: [String]) throws -> LocalServer {
            try LocalServer(executable: TwoServersTests.yima) { port in
                ["serve", "--data", fixture.directory.path, "--port", "\(port)", "--log-level", "warning", "--batch-state-max-age-ms", "0",
                 "--templates", Repository.root.appendingPathComponent("templates").path] + arguments
            }
        }
        let server = try serve(["--database", database, "--read-database", replica])
        defer { server.stop() }
        // The standby has caught up with the fixture's records: 5 events.
        var caughtUp = false
        for _ in 0..<100 where !caughtUp {
            caughtUp = try Self.events(server, target) == 5
            if !caughtUp { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(caughtUp)

        // With replay paused, the standby falls behind: another server's write does not
        // show in this server's lookups (they read the standby) …
        try standby.psql("SELECT pg_wal_replay_pause()")
        let other = try serve(["--database", database])
        let theirs = try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"irrigation"}"#)
        #expect(try Self.request(other.base + "/api/v1/records", post: theirs.text).status == 201)
        other.stop()
        #expect(try Self.events(server, target) == 5, "with replay paused, the standby must not have the other server's write yet")
        #expect(try Self.metric(server, "yima_replica_lag_bytes") ?? 0 > 0)

        // … but this server's own write shows in its next lookup at once: until the standby
        // has replayed it, its reads go to the primary (which has both).
        let own = try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"weeding"}"#)
        #expect(try Self.request(server.base + "/api/v1/records", post: own.text).status == 201)
        #expect(try Self.events(server, target) == 7, "a server's own write must show at once")
        #expect(try Self.metric(server, "yima_replica_reads_on_primary") ?? 0 > 0)

        try standby.psql("SELECT pg_wal_replay_resume()")
        var replayed = false
        for _ in 0..<100 where !replayed {
            replayed = try Self.events(server, target) == 7 && Self.metric(server, "yima_replica_lag_bytes") == 0
            if !replayed { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(replayed, "the standby did not catch up")

        // The primary stops: lookups are still answered by the standby; writes cannot be taken.
        let stranded = try fixture.signedEvent("care", WriteTests.now(), #"{"activity":"pruning"}"#)
        try primary.stop()
        #expect(try Self.events(server, target) == 7)
        #expect(try Self.request(server.base + "/api/v1/records", post: stranded.text).status == 503)

        // Promoted, the standby is the new primary: a server on it takes the write.
        try standby.promote()
        server.stop()
        let promoted = try serve(["--database", replica])
        defer { promoted.stop() }
        #expect(try Self.request(promoted.base + "/api/v1/records", post: stranded.text).status == 201)
        #expect(try Self.events(promoted, target) == 8)
    }
}
