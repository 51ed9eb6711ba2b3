import YimaLedger
import YimaStore

/// The log as static C2SP tlog-tiles (docs/api.md §Transparency log): hash tiles
/// and entry bundles, computed from the store's stored hashes and records.
extension TraceService {
    /// The store's transparency log, or a refusal naming why there is none.
    var transparencyLog: any TransparencyLog {
        get throws(ServiceError) {
            guard let log = store as? any TransparencyLog else {
                throw .invalidArgument("this store keeps no transparency log", zh: "该数据库没有透明日志")
            }
            return log
        }
    }

    /// The bytes of `tile` (c2sp.org/tlog-tiles): its hashes, or its entry bundle of
    /// stored envelopes. `notFound` when the log does not hold the tile at that width
    /// yet; a tile, once served, never changes.
    public func tileData(_ tile: Tile) throws(ServiceError) -> [UInt8] {
        let log = try transparencyLog
        let size = try lookup { try log.treeSize() }
        guard Tile.available(level: tile.level, index: tile.index, treeSize: size) >= Int64(tile.width) else {
            throw .notFound("\(tile.path) is not in the log of \(size) records yet", zh: "日志（\(size) 条）中还没有 \(tile.path)")
        }
        return try lookup {
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
