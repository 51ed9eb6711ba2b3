/// The stored-hash layout of a log, after golang.org/x/mod/sumdb/tlog: every
/// complete subtree's hash is stored once, in the order the appends produce
/// them, so storage is append-only too.
///
/// A hash is addressed by `(level, index)`: the hash of the complete subtree of
/// 2^level leaves `[index·2^level, (index+1)·2^level)`; level 0 holds leaf hashes
/// (RFC 9162 §2.1.1 `SHA-256(0x00 || entry)`). Appending leaf n stores its leaf
/// hash `(0, n)` and then, for each trailing 1 bit of n, the subtree it completes:
/// `(1, n>>1)`, `(2, n>>2)`, ….
///
/// Storage index (0-based, one integer per hash):
/// - `index(level: 0, index: n) = n + ⌊n/2⌋ + ⌊n/4⌋ + …` — the number of complete
///   subtrees of any level inside the first n leaves, all stored before leaf n;
/// - `index(level: L, index: i) = index(level: 0, index: (i+1)·2^L − 1) + L` — a
///   level-L hash is stored L places after the leaf that completes it;
/// - a log of n leaves stores `count(treeSize: n) = 2n − popcount(n)` hashes.
///
/// For leaves 0…3 the order is: `(0,0) (0,1) (1,0) (0,2) (0,3) (1,1) (2,0)`.
public enum StoredHashes {
    /// The storage index of the hash at `(level, index)`.
    public static func index(level: Int, index: Int64) -> Int64 {
        precondition(level >= 0 && level < 63 && index >= 0, "no stored hash at (\(level), \(index))")
        let lastLeaf = ((index + 1) << Int64(level)) - 1
        return leafIndexSum(lastLeaf) + Int64(level)
    }

    /// The number of hashes stored for a tree of `treeSize` leaves, which is also
    /// the storage index of leaf `treeSize`'s hash when it is appended.
    public static func count(treeSize: Int64) -> Int64 {
        precondition(treeSize >= 0)
        return leafIndexSum(treeSize)
    }

    @inline(__always)
    private static func leafIndexSum(_ n: Int64) -> Int64 {
        // n + n/2 + n/4 + … = 2n − popcount(n)
        2 * n - Int64(n.nonzeroBitCount)
    }

    /// The storage indexes to read before appending leaf `leafIndex`: the left
    /// siblings `(l, (leafIndex>>l) − 1)` for each trailing 1 bit — O(log n).
    public static func indexesToRead(forLeaf leafIndex: Int64) -> [Int64] {
        precondition(leafIndex >= 0)
        var indexes = [Int64]()
        var level = 0
        var index = leafIndex
        while index & 1 == 1 {
            indexes.append(Self.index(level: level, index: index - 1))
            level += 1
            index >>= 1
        }
        return indexes
    }

    /// The hashes to store when appending leaf `leafIndex` with `leafHash`, given
    /// the hashes at `indexesToRead(forLeaf:)`, in order. They go at storage
    /// indexes `count(treeSize: leafIndex)` onwards, consecutively.
    public static func newHashes(forLeaf leafIndex: Int64, leafHash: TreeHash,
                                 leftSiblings: [TreeHash]) -> [TreeHash] {
        precondition(leftSiblings.count == leafIndex.trailingNonzeroBitCount,
                     "leaf \(leafIndex) completes \((~leafIndex).trailingZeroBitCount) subtrees")
        var result = [TreeHash]()
        result.reserveCapacity(leftSiblings.count + 1)
        var current = leafHash
        result.append(current)
        for left in leftSiblings {
            current = MerkleHash.node(left, current)
            result.append(current)
        }
        return result
    }

    /// The hashes to store when appending leaf `leafIndex` (tlog's `StoredHashes`):
    /// reads O(log n) hashes in one call and returns the leaf hash followed by the
    /// subtree hashes it completes, to be stored from index `count(treeSize: leafIndex)`.
    public static func hashesToStore(forLeaf leafIndex: Int64, leafHash: TreeHash,
                                     reader: some HashReader) throws -> [TreeHash] {
        let indexes = indexesToRead(forLeaf: leafIndex)
        let siblings = indexes.isEmpty ? [] : try reader.readChecked(indexes)
        return newHashes(forLeaf: leafIndex, leafHash: leafHash, leftSiblings: siblings)
    }

    /// The RFC 9162 §2.1.1 Merkle Tree Hash of the first `treeSize` leaves, from
    /// popcount(treeSize) stored hashes (one read).
    public static func treeHash(treeSize: Int64, reader: some HashReader) throws -> TreeHash {
        guard treeSize >= 0 else { throw ProofError.invalidTreeSize(treeSize) }
        if treeSize == 0 { return MerkleHash.emptyTree }
        var plan = SubtreePlan()
        plan.add(range: 0..<treeSize)
        return try plan.resolve(with: reader)[0]
    }
}

extension Int64 {
    /// The number of trailing 1 bits.
    @inline(__always) var trailingNonzeroBitCount: Int { (~self).trailingZeroBitCount }
}
