import Testing
@testable import YimaLedger

/// C2SP tlog-tiles: tile paths, entry bundles, proofs computed from tiles, and the
/// right edge an auditor keeps.
@Suite struct TileTests {
    @Test func pathsAreTheSpecsAndParseBack() throws {
        // c2sp.org/tlog-tiles: N in zero-padded groups of three, all but the last x-prefixed.
        let cases: [(Int?, Int64, Int, String)] = [
            (0, 0, 256, "tile/0/000"),
            (0, 1234067, 256, "tile/0/x001/x234/067"),
            (1, 1234067, 8, "tile/1/x001/x234/067.p/8"),
            (nil, 5, 17, "tile/entries/005.p/17"),
            (2, 1000, 256, "tile/2/x001/000"),
            (63, 0, 255, "tile/63/000.p/255"),
        ]
        for (level, index, width, path) in cases {
            let tile = try Tile(level: level, index: index, width: width)
            #expect(tile.path == path)
            #expect(try Tile(path: path) == tile)
            #expect(tile.isPartial == (width < 256))
        }
        let bad: [(String, TileError)] = [
            ("tile/0/0", .badIndex("0")), ("tile/0/x000/000", .badIndex("x000/000")), ("tile/0/1234", .badIndex("1234")),
            ("tile/0/x01/234", .badIndex("x01/234")), ("tile/0/000.p/0", .badWidth("0")), ("tile/0/000.p/256", .badWidth("256")),
            ("tile/0/000.p/08", .badWidth("08")), ("tile/64/000", .badLevel("64")), ("tile/01/000", .badLevel("01")),
            ("tile/x/000", .badLevel("x")), ("tiles/0/000", .notATilePath("tiles/0/000")), ("tile/0/-01", .badIndex("-01")),
        ]
        for (path, error) in bad {
            #expect(throws: error, "\(path)") { try Tile(path: path) }
        }
    }

    @Test func tilesInATreeAreFullPartialOrAbsent() {
        #expect(Tile.inTree(level: 0, index: 0, treeSize: 0) == nil)
        #expect(Tile.inTree(level: 0, index: 0, treeSize: 5)?.width == 5)
        #expect(Tile.inTree(level: 0, index: 1, treeSize: 600)?.width == 256)
        #expect(Tile.inTree(level: 0, index: 2, treeSize: 600)?.width == 88)
        #expect(Tile.inTree(level: 1, index: 0, treeSize: 600)?.width == 2)  // two complete 256-leaf subtrees
        #expect(Tile.inTree(level: 1, index: 0, treeSize: 255) == nil)
        #expect(Tile.inTree(level: nil, index: 0, treeSize: 600)?.path == "tile/entries/000")
    }

    @Test func storageIndexesSplitBackIntoLevelAndIndex() {
        for level in 0..<12 {
            for index in Int64(0)..<300 {
                let split = StoredHashes.split(index: StoredHashes.index(level: level, index: index))
                #expect(split.level == level && split.index == index)
            }
        }
        // Every index of a 1000-leaf log is some (level, index).
        for storage in Int64(0)..<StoredHashes.count(treeSize: 1000) {
            let (level, index) = StoredHashes.split(index: storage)
            #expect(StoredHashes.index(level: level, index: index) == storage)
        }
    }

    @Test func proofsFromTilesEqualProofsFromStoredHashes() throws {
        // 70,000 leaves: three tile levels, full and partial tiles.
        let log = TestLog(size: 70_000)
        var fetched: [Tile] = []
        for size: Int64 in [1, 2, 255, 256, 257, 65_535, 65_536, 65_537, 70_000] {
            let reader = TileHashReader(treeSize: size) { tile in
                fetched.append(tile)
                return try tile.hashData(reader: log.store)
            }
            let root = try StoredHashes.treeHash(treeSize: size, reader: log.store)
            for leaf in Set([0, size / 3, size - 1]) {
                let fromTiles = try InclusionProof.generate(leafIndex: leaf, treeSize: size, reader: reader)
                #expect(fromTiles == (try InclusionProof.generate(leafIndex: leaf, treeSize: size, reader: log.store)))
                try fromTiles.verify(leafHash: log.leafHashes[Int(leaf)], root: root)
            }
            for old in Set([1, size / 2, size - 1].filter { $0 > 0 }) {
                let fromTiles = try ConsistencyProof.generate(oldSize: old, newSize: size, reader: reader)
                #expect(fromTiles == (try ConsistencyProof.generate(oldSize: old, newSize: size, reader: log.store)))
            }
        }
        // Each tile was fetched once per reader, and only tiles the tree holds at that width.
        #expect(fetched.contains(try Tile(path: "tile/1/001.p/17")))
        #expect(fetched.contains(try Tile(path: "tile/0/273.p/112")))
        #expect(fetched.contains(try Tile(path: "tile/2/000.p/1")))  // the one complete 65,536-leaf subtree
        #expect(!fetched.contains { ($0.level ?? 0) > 2 })
    }

    @Test func tileContentIsCheckedAgainstItsWidth() throws {
        let tile = try Tile(path: "tile/0/000.p/3")
        #expect(throws: TileError.wrongSize(tile: "tile/0/000.p/3", expected: 96, actual: 64)) {
            try tile.hashes(from: [UInt8](repeating: 0, count: 64))
        }
        let reader = TileHashReader(treeSize: 3) { _ in [UInt8](repeating: 0, count: 95) }
        #expect(throws: TileError.self) { try InclusionProof.generate(leafIndex: 0, treeSize: 3, reader: reader) }
    }

    @Test func entryBundlesRoundTripAndRefuseTruncation() throws {
        let entries: [[UInt8]] = [[], [0x41], Array(repeating: 7, count: 300), Array("{\"v\":1}".utf8)]
        let tile = try Tile(level: nil, index: 0, width: 4)
        let bytes = try EntryBundle.encode(entries)
        #expect(Array(bytes.prefix(5)) == [0x00, 0x00, 0x00, 0x01, 0x41])
        #expect(Array(bytes[5..<7]) == [0x01, 0x2C])  // 300, big-endian
        #expect(try EntryBundle.decode(bytes, tile: tile) == entries)
        #expect(throws: TileError.malformedBundle(tile: tile.path, reason: "entry 3 is truncated")) {
            try EntryBundle.decode(Array(bytes.dropLast()), tile: tile)
        }
        #expect(throws: TileError.malformedBundle(tile: tile.path, reason: "truncated length at byte \(bytes.count)")) {
            try EntryBundle.decode(bytes + [0x00], tile: tile)
        }
        #expect(throws: TileError.malformedBundle(tile: tile.path, reason: "3 entries, expected 4")) {
            try EntryBundle.decode(try EntryBundle.encode(Array(entries.prefix(3))), tile: tile)
        }
        #expect(throws: TileError.entryTooLarge(byteCount: 65_536)) { try EntryBundle.encode([[UInt8](repeating: 0, count: 65_536)]) }
    }

    @Test func theRightEdgeRecomputesEveryRoot() throws {
        let log = TestLog(size: 600)
        var edge = CompactRange()
        #expect(edge.root == MerkleHash.emptyTree)
        for (index, leaf) in log.leafHashes.enumerated() {
            edge.append(leafHash: leaf)
            #expect(edge.hashes.count == (index + 1).nonzeroBitCount)
            if index % 37 == 0 || index == 599 {
                #expect(edge.root == MerkleHash.treeHash(leafHashes: log.leafHashes[0...index]))
                #expect(try CompactRange.read(treeSize: Int64(index + 1), reader: log.store) == edge)
            }
        }
        #expect(throws: ProofError.wrongProofLength(expected: 4, actual: 3)) {
            try CompactRange(size: 600, hashes: Array(edge.hashes.prefix(3)))
        }
    }
}
