/// The right edge of a tree: the hashes of its maximal complete subtrees, left to
/// right (one per 1 bit of the size). It is all an auditor needs to keep to
/// extend a verified tree by new leaves and recompute the new root (RFC 9162
/// §2.1.1: the MTH of n leaves folds these hashes right to left).
public struct CompactRange: Hashable, Sendable {
    public private(set) var size: Int64
    public private(set) var hashes: [TreeHash]

    public init() {
        size = 0
        hashes = []
    }

    public init(size: Int64, hashes: [TreeHash]) throws(ProofError) {
        guard size >= 0 else { throw .invalidTreeSize(size) }
        guard hashes.count == size.nonzeroBitCount else {
            throw .wrongProofLength(expected: size.nonzeroBitCount, actual: hashes.count)
        }
        self.size = size
        self.hashes = hashes
    }

    /// The range of a stored tree, read in one call.
    public static func read(treeSize: Int64, reader: some HashReader) throws -> CompactRange {
        var indexes: [Int64] = []
        var start: Int64 = 0
        for level in stride(from: 62, through: 0, by: -1) where treeSize & (Int64(1) << Int64(level)) != 0 {
            indexes.append(StoredHashes.index(level: level, index: start >> Int64(level)))
            start += Int64(1) << Int64(level)
        }
        return try CompactRange(size: treeSize, hashes: try reader.readChecked(indexes))
    }

    /// Appends a leaf; returns the hashes a log stores for it, in `StoredHashes`
    /// order: the leaf hash, then each subtree hash it completes.
    @discardableResult
    public mutating func append(leafHash: TreeHash) -> [TreeHash] {
        var current = leafHash
        var stored = [current]
        var index = size
        while index & 1 == 1 {
            current = MerkleHash.node(hashes.removeLast(), current)
            stored.append(current)
            index >>= 1
        }
        hashes.append(current)
        size += 1
        return stored
    }

    /// The RFC 9162 Merkle Tree Hash of the range's tree.
    public var root: TreeHash {
        guard var root = hashes.last else { return MerkleHash.emptyTree }
        for left in hashes.dropLast().reversed() { root = MerkleHash.node(left, root) }
        return root
    }
}
