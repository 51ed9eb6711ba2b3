import Foundation
import Testing
import YimaCrypto
import YimaLedger
import YimaPostgres
import YimaStore
import YimaTestSupport

/// What only the PostgreSQL store has to show: connecting (and failing to, clearly
/// and without the password), schema versions, several writers on one database, and
/// a connection lost mid-transaction. Everything else runs on both engines in the
/// other suites.
@Suite struct PostgresStoreTests {
    typealias T = StoreTests

    // MARK: Connecting

    @Test func unreachableDatabaseIsOneClearErrorWithoutThePassword() throws {
        let url = "postgres://yima:s3cret-pw@127.0.0.1:1/yima"
        do {
            _ = try PostgresStore(url: url)
            Issue.record("a store opened on a closed port")
        } catch {
            guard case .unavailable(let why) = error else { Issue.record("\(error)"); return }
            #expect(why.contains("postgres://yima:***@127.0.0.1:1/yima"), "\(why)")
            #expect(!"\(error)".contains("s3cret-pw"))
        }
    }

    @Test func urlsPrintWithoutPasswords() throws {
        let url = try DatabaseURL("postgres://county:p%40ss@db.example:6543/yima", environment: [:])
        #expect(url.user == "county" && url.password == "p@ss" && url.host == "db.example" && url.port == 6543 && url.database == "yima")
        #expect(url.description == "postgres://county:***@db.example:6543/yima")
        #expect(DatabaseURL.redact("postgres://county:p@ss@db/yima") == "postgres://county:***@db/yima")
        let socket = try DatabaseURL("postgres://yima@/yima?host=/run/postgresql", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.password == nil)
        #expect(socket.description == "postgres://yima@/yima?host=/run/postgresql&port=5432")
        #expect(throws: StoreError.unavailable("not a postgres:// URL: mysql://root:***@db/x")) {
            try DatabaseURL("mysql://root:hunter2@db/x")
        }
    }

    @Test func passwordsComeFromTheURLThenPGPASSWORDThenPgpass() throws {
        let dir = try TemporaryDirectory()
        let pgpass = dir.file("pgpass")
        try """
            # host:port:database:user:password
            other:5432:*:county:wrong
            db.example:6543:yima:county:from\\:pgpass
            """.write(toFile: pgpass, atomically: true, encoding: .utf8)
        let url = "postgres://county@db.example:6543/yima"
        #expect(try DatabaseURL(url, environment: ["PGPASSFILE": pgpass]).password == "from:pgpass")
        #expect(try DatabaseURL(url, environment: ["PGPASSFILE": pgpass, "PGPASSWORD": "env"]).password == "env")
        #expect(try DatabaseURL("postgres://county:inline@db.example:6543/yima", environment: ["PGPASSWORD": "env"]).password == "inline")
        #expect(try DatabaseURL("postgres://county@db.example:6543/other", environment: ["PGPASSFILE": pgpass]).password == nil)
    }

    @Test(arguments: Engine.postgresOnly) func missingDatabaseIsNamed(_ engine: Engine) throws {
        let cluster = try #require(Engine.cluster, "\(Engine.clusterVariable) is not set: run `make test`")
        #expect(throws: StoreError.self) { try PostgresStore(url: PostgresCluster.url(cluster, database: "no_such_db")) }
        do {
            _ = try PostgresStore(url: PostgresCluster.url(cluster, database: "no_such_db"))
        } catch {
            #expect("\(error)".contains(#"database "no_such_db" does not exist"#), "\(error)")
        }
    }

    @Test(arguments: Engine.postgresOnly) func databaseOfANewerYimaIsRefused(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let known = try database.sql("SELECT max(version) FROM yima_migrations").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try database.sql("INSERT INTO yima_migrations (version, name) VALUES (99, 'from the future')").status == 0)
        do {
            _ = try database.reopen()
            Issue.record("opened a database at a newer schema version")
        } catch {
            #expect("\(error)".contains("schema version 99; this yima knows versions up to \(known)"), "\(error)")
        }
    }

    // MARK: Several writers

    /// Two stores on one database (two servers), each with several threads, all
    /// appending events to one batch from the head they read: every round exactly
    /// one of the racers wins, the others get `staleHead`, and the log has every
    /// stored record once, at consecutive positions.
    @Test(arguments: Engine.postgresOnly) func concurrentWritersCannotForkAChain(_ engine: Engine) throws {
        let f = try T.Fixture(engine)
        let second = try f.engine.reopen()
        let stores = [f.store, second, f.store, second, f.store, second]
        var stored: [StoredRecord] = []
        var tag: UInt8 = 10
        for round in 0..<6 {
            let head = try #require(try f.head())
            let results = Locked<[Result<StoredRecord, StoreError>]>([])
            let first = tag
            DispatchQueue.concurrentPerform(iterations: stores.count) { racer in
                let event = T.event(first + UInt8(racer), time: "2026-08-2\(round)T07:30:00+08:00")
                let result = Result { () throws(StoreError) in try stores[racer].append(event, expectedHead: head) }
                results.mutate { $0.append(result) }
            }
            tag += UInt8(stores.count)
            let winners = results.value.compactMap { try? $0.get() }
            #expect(winners.count == 1, "round \(round): \(results.value)")
            for case .failure(let error) in results.value { #expect(error == .staleHead(batch: T.batchKey)) }
            stored += winners
        }
        #expect(stored.map(\.sequence) == Array(3..<9))
        let batch = try #require(try second.batch(key: T.batchKey))
        #expect(batch.eventCount == 6 && batch.headID == stored.last?.id)
        #expect(try f.store.records(batchKey: T.batchKey).map(\.id) == [T.id(3)] + stored.map(\.id))
    }

    /// Parties appended from many threads through two stores at once: positions 0…n−1
    /// with no gap or duplicate, and the root is the RFC 9162 root of the entries.
    @Test(arguments: Engine.postgresOnly) func concurrentAppendsGetConsecutiveLeaves(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let stores = [database.store, try database.reopen()]
        let sequences = Locked<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for index in 0..<12 {
                let envelope = Array("writer \(writer) record \(index)".utf8)
                let record = NewRecord(id: Digest.sha256(envelope), kind: .party, signerKeyID: "0011223344556677", envelope: envelope)
                if let stored = try? stores[writer % 2].append(record, expectedHead: nil) {
                    sequences.mutate { $0.append(stored.sequence) }
                }
            }
        }
        #expect(sequences.value.sorted() == Array(0..<96))
        let entries = try stores[1].entries(0..<96)
        #expect(try stores[0].treeHash(size: 96) == MerkleHash.treeHash(leafHashes: entries.map { MerkleHash.leaf($0) }))
    }

    /// Two servers flushing scans of the same units at once: every scan counted once,
    /// each client once per unit, and no deadlock (rows are written in key order).
    @Test(arguments: Engine.postgresOnly) func concurrentScanFlushesCountEveryScanOnce(_ engine: Engine) throws {
        let database = try EngineStore(engine)
        let stores = [database.store, try database.reopen()]
        let serials = (0..<12).map { "S\($0)" }
        DispatchQueue.concurrentPerform(iterations: 8) { flusher in
            for round in 0..<10 {
                // Each flush: every unit, scanned by clients 0…4 (shared by all flushers) and the flusher's own client.
                let scans = serials.reversed().flatMap { serial in
                    [UInt8(round % 5), UInt8(100 + flusher)].map { client in
                        ScanObservation(gtin: T.gtin, lot: T.lot, serial: serial, client: [UInt8](repeating: client, count: 16),
                                        time: 1_790_000_000 + Int64(round))
                    }
                }
                #expect(throws: Never.self) { try stores[flusher % 2].recordScans(scans) }
            }
        }
        for serial in serials {
            let summary = try stores[0].scanSummary(gtin: T.gtin, lot: T.lot, serial: serial, clientLimit: 0)
            #expect(summary == ScanSummary(count: 8 * 10 * 2, distinctClients: 5 + 8, firstScan: 1_790_000_000, lastScan: 1_790_000_009))
        }
    }

    // MARK: Faults

    /// The server ends the store's connection while an issuance is streaming units:
    /// neither the event nor any unit is stored, and the store carries on with a new
    /// connection afterwards.
    @Test(arguments: Engine.postgresOnly) func connectionLostMidTransactionLeavesNothing(_ engine: Engine) throws {
        let f = try T.Fixture(engine)
        let before = try f.snapshot()
        var calls = 0
        #expect(throws: StoreError.self) {
            try f.store.issueUnits(T.event(4), expectedHead: T.id(3)) {
                calls += 1
                if calls == 2 {
                    let killed = try f.engine.sql("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """)
                    #expect(killed.status == 0 && killed.output.contains("t"), "\(killed.stderr)")
                }
                return calls > 3 ? [] : T.units(["S\(calls)A", "S\(calls)B"])
            }
        }
        #expect(try f.engine.sql("SELECT count(*) FROM units").output == "0\n")
        #expect(try f.engine.sql("SELECT count(*) FROM records").output == "3\n")
        #expect(try f.snapshot() == before)
        // The pool drops the dead connection; the next write goes through.
        _ = try f.store.append(T.event(4), expectedHead: T.id(3))
        #expect(try f.head() == T.id(4))
    }
}
