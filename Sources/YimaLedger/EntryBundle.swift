/// An entry bundle (c2sp.org/tlog-tiles §"Log Entries"): the entries of one tile,
/// each as a big-endian uint16 length followed by that many bytes.
public enum EntryBundle {
    public static func encode(_ entries: [[UInt8]]) throws(TileError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.count })
        for entry in entries {
            guard entry.count <= Int(UInt16.max) else { throw .entryTooLarge(byteCount: entry.count) }
            bytes.append(UInt8(entry.count >> 8))
            bytes.append(UInt8(entry.count & 0xFF))
            bytes += entry
        }
        return bytes
    }

    /// The entries of `tile`'s bundle: exactly `tile.width` of them, no bytes left over.
    public static func decode(_ bytes: [UInt8], tile: Tile) throws(TileError) -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else {
                throw .malformedBundle(tile: tile.path, reason: "truncated length at byte \(offset)")
            }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard offset + length <= bytes.count else {
                throw .malformedBundle(tile: tile.path, reason: "entry \(entries.count) is truncated")
            }
            entries.append(Array(bytes[offset..<(offset + length)]))
            offset += length
        }
        guard entries.count == tile.width else {
            throw .malformedBundle(tile: tile.path, reason: "\(entries.count) entries, expected \(tile.width)")
        }
        return entries
    }
}
