/// A Merkle audit path (RFC 9162 §2.1.3): the hashes that, with a leaf hash,
/// recompute the root of the tree of `treeSize` leaves.
public struct InclusionProof: Hashable, Sendable {
    /// The 0-based index of the leaf proved.
    public let leafIndex: Int64
    /// The size of the tree whose root the proof leads to.
    public let treeSize: Int64
    /// The audit path, from the leaf's sibling up (RFC 9162 §2.1.3.1 order).
    public let hashes: [TreeHash]

    public init(leafIndex: Int64, treeSize: Int64, hashes: [TreeHash]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.hashes = hashes
    }

    /// Builds the proof of leaf `leafIndex` in the tree of `treeSize` leaves
    /// (RFC 9162 §2.1.3.1 `PATH(m, D[n])`) from stored hashes, in one read of
    /// at most 2·log2(n) hashes.
    public static func generate(leafIndex: Int64, treeSize: Int64, reader: some HashReader) throws -> InclusionProof {
        guard treeSize >= 0 else { throw ProofError.invalidTreeSize(treeSize) }
        guard leafIndex >= 0, leafIndex < treeSize else {
            throw ProofError.leafIndexOutOfRange(leafIndex: leafIndex, treeSize: treeSize)
        }
        var plan = SubtreePlan()
        addPath(leafIndex, 0..<treeSize, to: &plan)
        return InclusionProof(leafIndex: leafIndex, treeSize: treeSize, hashes: try plan.resolve(with: reader))
    }

    // PATH(m, D[lo:hi]) = PATH(m, D[lo:lo+k]) : MTH(D[lo+k:hi])  if m < lo+k
    //                   = PATH(m, D[lo+k:hi]) : MTH(D[lo:lo+k])  otherwise
    private static func addPath(_ leaf: Int64, _ range: Range<Int64>, to plan: inout SubtreePlan) {
        let count = range.count
        if count <= 1 { return }
        let split = range.lowerBound + largestPowerOfTwo(lessThan: Int64(count))
        if leaf < split {
            addPath(leaf, range.lowerBound..<split, to: &plan)
            plan.add(range: split..<range.upperBound)
        } else {
            addPath(leaf, split..<range.upperBound, to: &plan)
            plan.add(range: range.lowerBound..<split)
        }
    }

    /// The number of hashes in the audit path of `leafIndex` in a tree of
    /// `treeSize` leaves: one per level below the point where the paths to the
    /// leaf and to the last leaf part, plus one per left sibling above it.
    public static func expectedLength(leafIndex: Int64, treeSize: Int64) -> Int {
        precondition(leafIndex >= 0 && leafIndex < treeSize)
        let inner = 64 - (leafIndex ^ (treeSize - 1)).leadingZeroBitCount
        let border = (leafIndex >> Int64(inner)).nonzeroBitCount
        return inner + border
    }

    /// The root this proof leads to from `leafHash` (RFC 9162 §2.1.3.2 steps 1–5).
    public func root(fromLeafHash leafHash: TreeHash) throws(ProofError) -> TreeHash {
        guard treeSize >= 0 else { throw .invalidTreeSize(treeSize) }
        guard leafIndex >= 0, leafIndex < treeSize else {
            throw .leafIndexOutOfRange(leafIndex: leafIndex, treeSize: treeSize)
        }
        let expected = Self.expectedLength(leafIndex: leafIndex, treeSize: treeSize)
        guard hashes.count == expected else { throw .wrongProofLength(expected: expected, actual: hashes.count) }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in hashes {
            // The length check above makes `sn == 0` here impossible.
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        assert(sn == 0)
        return r
    }

    /// Verifies that `leafHash` is leaf `leafIndex` of the tree with `root`
    /// (RFC 9162 §2.1.3.2). Throws the precise reason on failure.
    public func verify(leafHash: TreeHash, root: TreeHash) throws(ProofError) {
        let computed = try self.root(fromLeafHash: leafHash)
        guard computed == root else { throw .rootMismatch(expected: root, computed: computed) }
    }

    /// Verifies an inclusion proof as it arrives on the wire, checking that every
    /// hash is 32 bytes first (RFC 9162 §2.1.3.2).
    public static func verify(leafIndex: Int64, treeSize: Int64, leafHash: [UInt8],
                              proof: [[UInt8]], root: [UInt8]) throws(ProofError) {
        let leaf = try treeHash(leafHash, role: .leaf)
        let rootHash = try treeHash(root, role: .root)
        let path = try proofHashes(proof)
        try InclusionProof(leafIndex: leafIndex, treeSize: treeSize, hashes: path).verify(leafHash: leaf, root: rootHash)
    }
}
