/// Reads stored hashes of a tree of `treeSize` leaves from its hash tiles
/// (c2sp.org/tlog-tiles), so a client computes inclusion and consistency proofs
/// with the same code the log uses. Each tile is fetched once; a hash above a
/// tile's bottom level is folded from the tile's hashes.
///
/// Tiles are not trusted: a proof computed from wrong tiles fails verification
/// against the signed root, which is the check that counts.
public final class TileHashReader: HashReader {
    public let treeSize: Int64
    private let fetch: (Tile) throws -> [UInt8]
    private var tiles: [Tile: [TreeHash]] = [:]

    /// `fetch` returns a tile's raw bytes (e.g. by HTTP GET of `tile.path`).
    public init(treeSize: Int64, fetch: @escaping (Tile) throws -> [UInt8]) {
        self.treeSize = treeSize
        self.fetch = fetch
    }

    public func readHashes(_ indexes: [Int64]) throws -> [TreeHash] {
        try indexes.map { index in
            let (level, n) = StoredHashes.split(index: index)
            let tileLevel = level / Tile.height
            let sublevel = Int64(level % Tile.height)
            let first = n << sublevel
            let end = (n + 1) << sublevel
            let tileIndex = first / Int64(Tile.fullWidth)
            guard let tile = Tile.inTree(level: tileLevel, index: tileIndex, treeSize: treeSize),
                  end - tileIndex * Int64(Tile.fullWidth) <= Int64(tile.width) else {
                throw HashReaderError.missingHash(index: index)
            }
            let hashes = try self.hashes(of: tile)
            let base = tileIndex * Int64(Tile.fullWidth)
            var row = Array(hashes[Int(first - base)..<Int(end - base)])
            while row.count > 1 {
                row = stride(from: 0, to: row.count, by: 2).map { MerkleHash.node(row[$0], row[$0 + 1]) }
            }
            return row[0]
        }
    }

    private func hashes(of tile: Tile) throws -> [TreeHash] {
        if let cached = tiles[tile] { return cached }
        let hashes = try tile.hashes(from: try fetch(tile))
        tiles[tile] = hashes
        return hashes
    }
}

extension StoredHashes {
    /// The `(level, index)` of the hash at storage index `index` (tlog's
    /// `SplitStoredHashIndex`): the leaf stored last at or before it, then how many
    /// places after that leaf it lies.
    public static func split(index: Int64) -> (level: Int, index: Int64) {
        precondition(index >= 0)
        // count(treeSize: n) = 2n − popcount(n) ≤ index, so n is a little above index/2.
        var leaf = index / 2
        while count(treeSize: leaf) > index { leaf -= 1 }
        while count(treeSize: leaf + 1) <= index { leaf += 1 }
        let level = Int(index - count(treeSize: leaf))
        return (level, leaf >> Int64(level))
    }
}
