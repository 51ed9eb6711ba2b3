import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import YimaLedger
import YimaServer
import YimaService
import YimaStore
import YimaTestSupport

/// The log served as C2SP tlog-tiles, read back as a client would, and what the
/// page and the JSON say once the database was altered behind the log's back.
@Suite struct LogTests {
    static func logServer(_ fixture: ServerFixture, service: UseCases? = nil) async throws -> TraceServer {
        var server = try await fixture.server()
        if let service {
            var logger = Logger(label: "yima.test")
            logger.logLevel = .warning
            server = try await TraceServer(useCases: service, secret: fixture.secret, configuration: server.configuration, logger: logger)
        }
        server.log = try LogPublisher(directory: fixture.directory)
        return server
    }

    @Test(arguments: Engine.all) func checkpointTilesAndEntriesRebuildTheSignedTree(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await Self.logServer(fixture)
        let verifier = try #require(server.log?.verifier)
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/checkpoint", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            let (checkpoint, _) = try Checkpoint.open(response.text, verifiers: [verifier])
            let size = checkpoint.treeSize
            #expect(size == (try fixture.store.recordCount()))
            // The log signs only when it grew: the same note again, and kept in the data folder.
            #expect(try await client.execute(uri: "/checkpoint", method: .get).text == response.text)
            #expect(fixture.directory.latestCheckpointNote() == response.text)

            let hashTile = try #require(Tile.inTree(level: 0, index: 0, treeSize: size))
            #expect(hashTile.path == "tile/0/000.p/\(size)")
            let tileResponse = try await client.execute(uri: "/" + hashTile.path, method: .get)
            #expect(tileResponse.status == .ok)
            #expect(tileResponse.headers[.cacheControl] == "public, max-age=10")
            #expect(tileResponse.headers[.contentType] == "application/octet-stream")
            let leaves = try hashTile.hashes(from: Array(tileResponse.body.readableBytesView))

            let bundleTile = try #require(Tile.inTree(level: nil, index: 0, treeSize: size))
            let bundle = try await client.execute(uri: "/" + bundleTile.path, method: .get)
            let entries = try EntryBundle.decode(Array(bundle.body.readableBytesView), tile: bundleTile)
            var edge = CompactRange()
            for (index, entry) in entries.enumerated() {
                #expect(MerkleHash.leaf(entry) == leaves[index])
                edge.append(leafHash: MerkleHash.leaf(entry))
            }
            // The stored envelopes, hashed again, give the signed root.
            #expect(edge.root == checkpoint.rootHash)
            let stored = try fixture.store.records(kind: .event)
            #expect(entries[Int(stored[0].sequence)] == stored[0].envelope)

            // Inclusion proofs computed from the served tile verify against the checkpoint.
            let reader = TileHashReader(treeSize: size) { tile in
                #expect(tile == hashTile)
                return leaves.flatMap(\.bytes)
            }
            for leaf in 0..<size {
                try InclusionProof.generate(leafIndex: leaf, treeSize: size, reader: reader)
                    .verify(leafHash: leaves[Int(leaf)], root: checkpoint.rootHash)
            }

            // Wider than the tree: not there yet. Malformed paths: 400.
            #expect(try await client.execute(uri: "/tile/0/000.p/\(size + 1)", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/tile/0/000", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/tile/entries/001.p/1", method: .get).status == .notFound)
            for bad in ["/tile/0/0", "/tile/0/x000/000", "/tile/0/000.p/0", "/tile/0/000.p/256", "/tile/64/000", "/tile/a/000"] {
                let refused = try await client.execute(uri: bad, method: .get)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.json?["error"]?.string == "bad-tile", "\(bad)")
            }
        }
    }

    @Test(arguments: Engine.all) func fullTilesAreImmutable(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        // Grow the log past one full tile (tiles do not care what the entries say).
        for index in 0..<(256 - Int(try fixture.store.recordCount())) {
            _ = try fixture.store.append(NewRecord(id: (0..<32).map { _ in UInt8.random(in: 0...255) }, kind: .product,
                                                           signerKeyID: "test", envelope: Array("entry \(index)".utf8)),
                                                 expectedHead: nil)
        }
        #expect(try fixture.store.recordCount() >= 256)
        let server = try await Self.logServer(fixture)
        try await server.application().test(.router) { client in
            let full = try await client.execute(uri: "/tile/0/000", method: .get)
            #expect(full.status == .ok)
            #expect(full.body.readableBytes == 256 * 32)
            #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let entries = try await client.execute(uri: "/tile/entries/000", method: .get)
            #expect(try EntryBundle.decode(Array(entries.body.readableBytesView), tile: Tile(path: "tile/entries/000")).count == 256)
            #expect(entries.headers[.cacheControl] == "public, max-age=31536000, immutable")
            // A partial tile is a prefix of the full one.
            let partial = try await client.execute(uri: "/tile/0/000.p/7", method: .get)
            #expect(Array(partial.body.readableBytesView) == Array(full.body.readableBytesView.prefix(7 * 32)))
        }
    }

    @Test func pageAndJSONFlagARecordRewrittenInTheDatabase() async throws {
        let fixture = try ServerFixture()
        let database = (fixture.directory.path as NSString).appendingPathComponent("yima.sqlite")
        let sequence = try Tamper.firstEvent(database: database)
        // The pesticide dose 0.75 becomes 0.25: one byte of the signed payload.
        try Tamper.rewritePayloadByte(database: database, sequence: sequence, after: "\"value\":\"0.", from: UInt8(ascii: "7"), to: UInt8(ascii: "2"))

        // A server started on the altered database (nothing cached from before).
        let server = try await Self.logServer(fixture, service: try fixture.directory.useCases())
        try await server.application().test(.router) { client in
            let json = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get,
                                                headers: [.accept: "application/json"])
            #expect(json.status == .ok)
            let integrity = try #require(json.json?["integrity"])
            #expect(integrity["intact"]?.bool == false)
            let problems = try #require(integrity["problems"]?.array)
            #expect(problems.first?["log_index"]?.integer == Int64(sequence))
            #expect(problems.first?["problem"]?.string == "leaf-mismatch")
            // The next event's prev no longer names the altered record.
            #expect(problems.contains { $0["problem"]?.string == "broken-link" && $0["log_index"]?.integer == Int64(sequence + 1) })

            let zh = try await client.execute(uri: ServerFixture.target(fixture.codes[0]), method: .get, headers: [.accept: "text/html"])
            #expect(zh.text.contains("id=\"integrity\""))
            #expect(zh.text.contains("记录完整性校验失败"))
            #expect(zh.text.contains("第 \(sequence) 条记录与透明日志不符"))
            let en = try await client.execute(uri: ServerFixture.target(fixture.codes[0]) + "&lang=en", method: .get)
            #expect(en.text.contains("Record integrity check failed"))
            #expect(en.text.contains("record \(sequence) differs from the transparency log"))
        }

        // An untouched store says so too.
        let clean = try ServerFixture()
        let cleanServer = try await Self.logServer(clean)
        try await cleanServer.application().test(.router) { client in
            let json = try await client.execute(uri: ServerFixture.target(clean.codes[0]), method: .get, headers: [.accept: "application/json"])
            #expect(json.json?["integrity"]?["intact"]?.bool == true)
            #expect(json.json?["integrity"]?["problems"]?.array?.isEmpty == true)
            let page = try await client.execute(uri: ServerFixture.target(clean.codes[0]), method: .get, headers: [.accept: "text/html"])
            #expect(!page.text.contains("id=\"integrity\""))
        }
    }
}
