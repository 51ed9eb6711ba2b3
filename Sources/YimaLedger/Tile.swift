/// A tile of a log served as static files (c2sp.org/tlog-tiles): either a hash
/// tile, up to 256 consecutive hashes of one tree level, or an entry bundle, up to
/// 256 consecutive entries.
///
/// Tile level `L` holds hashes of tree level `8·L`: tile `(L, N)` holds the hashes
/// `(8·L, N·256)` … `(8·L, N·256 + W − 1)` (RFC 9162 subtree hashes of 2^(8L)
/// leaves each). A tile of width `W < 256` is partial: the tree does not yet have
/// the whole tile.
public struct Tile: Hashable, Sendable, CustomStringConvertible {
    /// Tree levels per tile level (c2sp.org/tlog-tiles §"Merkle Tree": height 8).
    public static let height = 8
    /// Hashes (or entries) in a full tile.
    public static let fullWidth = 256

    /// Tile level, or nil for an entry bundle (`tile/entries/…`).
    public let level: Int?
    public let index: Int64
    /// 1…256.
    public let width: Int

    public init(level: Int?, index: Int64, width: Int) throws(TileError) {
        if let level { guard (0...63).contains(level) else { throw .badLevel(String(level)) } }
        guard index >= 0 else { throw .badIndex(String(index)) }
        guard (1...Self.fullWidth).contains(width) else { throw .badWidth(String(width)) }
        self.level = level
        self.index = index
        self.width = width
    }

    public var isPartial: Bool { width < Self.fullWidth }
    public var isEntryBundle: Bool { level == nil }

    /// The tile `(level, index)` as it stands in a tree of `treeSize` leaves: full,
    /// partial, or nil when the tree has nothing in it yet.
    public static func inTree(level: Int?, index: Int64, treeSize: Int64) -> Tile? {
        let available = available(level: level, index: index, treeSize: treeSize)
        guard available > 0 else { return nil }
        return try? Tile(level: level, index: index, width: Int(min(Int64(fullWidth), available)))
    }

    /// How many hashes (entries) at `(level, index)` a tree of `treeSize` leaves has.
    public static func available(level: Int?, index: Int64, treeSize: Int64) -> Int64 {
        let count = treeSize >> Int64(height * (level ?? 0))
        return count - index * Int64(fullWidth)
    }

    /// The path below the log's prefix: `tile/<L>/<N>[.p/<W>]` or
    /// `tile/entries/<N>[.p/<W>]`, with N in groups of three digits, all but the
    /// last prefixed by `x` (c2sp.org/tlog-tiles §"Tiles").
    public var path: String {
        var path = "tile/" + (level.map(String.init) ?? "entries") + "/" + Self.encode(index)
        if isPartial { path += ".p/\(width)" }
        return path
    }

    public var description: String { path }

    static func encode(_ n: Int64) -> String {
        var digits = String(n)
        while digits.count % 3 != 0 { digits = "0" + digits }
        var groups: [Substring] = []
        var rest = digits[...]
        while !rest.isEmpty {
            groups.append(rest.prefix(3))
            rest = rest.dropFirst(3)
        }
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : String($0.element) }
            .joined(separator: "/")
    }

    /// Parses a path as `path` writes it (after `tile/`); only the canonical
    /// spelling is accepted, so every tile has one URL (one cache entry).
    public init(path: some StringProtocol) throws(TileError) {
        var parts = String(path).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0] == "tile" else { throw .notATilePath(String(path)) }
        parts.removeFirst()
        let levelText = parts.removeFirst()
        var level: Int?
        if levelText != "entries" {
            guard let parsed = Int(levelText), String(parsed) == levelText else { throw .badLevel(levelText) }
            level = parsed
        }
        var width = Self.fullWidth
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            let widthText = parts.removeLast()
            guard let parsed = Int(widthText), String(parsed) == widthText, parsed < Self.fullWidth else {
                throw .badWidth(widthText)
            }
            width = parsed
            parts[parts.count - 1].removeLast(2)
        }
        let indexText = parts.joined(separator: "/")
        guard let last = parts.last, last.utf8.count == 3,
              parts.dropLast().allSatisfy({ $0.utf8.count == 4 && $0.hasPrefix("x") }) else {
            throw .badIndex(indexText)
        }
        let digits = parts.dropLast().map { String($0.dropFirst()) }.joined() + last
        guard digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let index = Int64(digits),
              Self.encode(index) == indexText else {
            throw .badIndex(indexText)
        }
        try self.init(level: level, index: index, width: width)
    }

    /// The storage indexes (see `StoredHashes`) of the hashes of this hash tile.
    public var storageIndexes: [Int64] {
        precondition(level != nil, "an entry bundle holds entries, not hashes")
        let treeLevel = Self.height * level!
        let first = index * Int64(Self.fullWidth)
        return (0..<Int64(width)).map { StoredHashes.index(level: treeLevel, index: first + $0) }
    }

    /// The tile's bytes: its hashes, 32 bytes each, read in one call.
    public func hashData(reader: some HashReader) throws -> [UInt8] {
        try reader.readChecked(storageIndexes).flatMap(\.bytes)
    }

    /// The hashes of a hash tile's bytes, checking the length against the width.
    public func hashes(from data: [UInt8]) throws(TileError) -> [TreeHash] {
        guard data.count == width * TreeHash.byteCount else {
            throw .wrongSize(tile: path, expected: width * TreeHash.byteCount, actual: data.count)
        }
        return stride(from: 0, to: data.count, by: TreeHash.byteCount).map {
            TreeHash(bytes: data[$0..<($0 + TreeHash.byteCount)])!
        }
    }
}

/// Why a tile path or a tile's content was refused.
public enum TileError: Error, Equatable, Sendable, CustomStringConvertible {
    case notATilePath(String)
    case badLevel(String)
    case badIndex(String)
    case badWidth(String)
    /// The tree does not (yet) hold this tile at this width.
    case beyondTree(tile: String, treeSize: Int64)
    case wrongSize(tile: String, expected: Int, actual: Int)
    /// An entry bundle is not a sequence of length-prefixed entries.
    case malformedBundle(tile: String, reason: String)
    case entryTooLarge(byteCount: Int)

    public var description: String {
        switch self {
        case .notATilePath(let path): "\"\(path)\" is not a tile path"
        case .badLevel(let text): "bad tile level \"\(text)\" (0–63)"
        case .badIndex(let text): "bad tile index \"\(text)\" (groups of three digits, x-prefixed but the last)"
        case .badWidth(let text): "bad partial tile width \"\(text)\" (1–255)"
        case .beyondTree(let tile, let size): "\(tile) is not in the tree of \(size) leaves"
        case .wrongSize(let tile, let expected, let actual): "\(tile) is \(actual) bytes, expected \(expected)"
        case .malformedBundle(let tile, let reason): "entry bundle \(tile) is malformed: \(reason)"
        case .entryTooLarge(let count): "entry of \(count) bytes does not fit an entry bundle (at most 65535)"
        }
    }
}
