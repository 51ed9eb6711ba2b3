import YimaLedger
import YimaStore

/// The log as static C2SP tlog-tiles (docs/api.md §Transparency log): hash tiles
/// and entry bundles, computed from the store's stored hashes and records.
extension Transparency {
    /// The bytes of `tile` (c2sp.org/tlog-tiles): its hashes, or its entry bundle of
    /// stored envelopes. `notFound` when the log does not hold the tile at that width
    /// yet; a tile, once served, never changes.
    /// The number of records in the log now.
    public func treeSize() throws(ServiceError) -> Int64 { try ServiceError.reading { try log.treeSize() } }

    public func tileData(_ tile: Tile) throws(ServiceError) -> [UInt8] {
        let size = try treeSize()
        guard Tile.available(level: tile.level, index: tile.index, treeSize: size) >= Int64(tile.width) else {
            throw .notFound(.tileNotYet, ["tile": tile.path, "size": size])
        }
        return try ServiceError.reading {
            if tile.isEntryBundle {
                let first = tile.index * Int64(Tile.fullWidth)
                return try EntryBundle.encode(try log.entries(first..<(first + Int64(tile.width))))
            }
            return try tile.hashData(reader: LogHashReader(log: log))
        }
    }
}

/// A `HashReader` over a store's transparency log.
struct LogHashReader: HashReader {
    let log: any TransparencyLog

    func readHashes(_ indexes: [Int64]) throws -> [TreeHash] { try log.logHashes(indexes) }
}
