/// A Merkle consistency proof (RFC 9162 §2.1.4): the hashes that show the tree
/// of `oldSize` leaves is a prefix of the tree of `newSize` leaves.
public struct ConsistencyProof: Hashable, Sendable {
    public let oldSize: Int64
    public let newSize: Int64
    /// The proof nodes in RFC 9162 §2.1.4.1 order.
    public let hashes: [TreeHash]

    public init(oldSize: Int64, newSize: Int64, hashes: [TreeHash]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    /// Builds the proof from `oldSize` to `newSize` (RFC 9162 §2.1.4.1
    /// `PROOF(m, D[n]) = SUBPROOF(m, D[n], true)`) from stored hashes, in one read.
    /// Equal sizes give the empty proof; `oldSize == 0` is refused, as the
    /// verifier refuses it.
    public static func generate(oldSize: Int64, newSize: Int64, reader: some HashReader) throws -> ConsistencyProof {
        try checkSizes(oldSize: oldSize, newSize: newSize)
        var plan = SubtreePlan()
        addSubproof(oldSize, 0..<newSize, complete: true, to: &plan)
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: try plan.resolve(with: reader))
    }

    private static func checkSizes(oldSize: Int64, newSize: Int64) throws(ProofError) {
        guard oldSize >= 0 else { throw .invalidTreeSize(oldSize) }
        guard newSize >= 0 else { throw .invalidTreeSize(newSize) }
        guard oldSize <= newSize else { throw .oldSizeExceedsNewSize(oldSize: oldSize, newSize: newSize) }
        guard oldSize > 0 else { throw .oldSizeIsZero }
    }

    // SUBPROOF(m, D[lo:hi], b), with m an absolute leaf count:
    //   m == hi:  []  if b, else [MTH(D[lo:hi])]
    //   m <= lo+k: SUBPROOF(m, D[lo:lo+k], b) : MTH(D[lo+k:hi])
    //   else:      SUBPROOF(m, D[lo+k:hi], false) : MTH(D[lo:lo+k])
    private static func addSubproof(_ oldSize: Int64, _ range: Range<Int64>, complete: Bool,
                                    to plan: inout SubtreePlan) {
        if oldSize == range.upperBound {
            if !complete { plan.add(range: range) }
            return
        }
        let split = range.lowerBound + largestPowerOfTwo(lessThan: Int64(range.count))
        if oldSize <= split {
            addSubproof(oldSize, range.lowerBound..<split, complete: complete, to: &plan)
            plan.add(range: split..<range.upperBound)
        } else {
            addSubproof(oldSize, split..<range.upperBound, complete: false, to: &plan)
            plan.add(range: range.lowerBound..<split)
        }
    }

    /// The number of nodes in the proof from `oldSize` to `newSize`
    /// (0 < oldSize ≤ newSize). The proof is the audit path, in the new tree, of
    /// the last complete subtree of the old tree (level s = trailing zeros of
    /// oldSize), preceded by that subtree's own hash unless it is the whole old
    /// tree (oldSize a power of two).
    public static func expectedLength(oldSize: Int64, newSize: Int64) -> Int {
        precondition(oldSize > 0 && oldSize <= newSize)
        if oldSize == newSize { return 0 }
        let lastOld = oldSize - 1
        let inner = 64 - (lastOld ^ (newSize - 1)).leadingZeroBitCount
        let border = (lastOld >> Int64(inner)).nonzeroBitCount
        let shift = oldSize.trailingZeroBitCount
        let oldIsPowerOfTwo = oldSize.nonzeroBitCount == 1
        return inner - shift + border + (oldIsPowerOfTwo ? 0 : 1)
    }

    /// The old and new roots this proof leads to from `oldRoot`
    /// (RFC 9162 §2.1.4.2 steps 1–7); `oldSize < newSize` and the length checked.
    private func roots(fromOldRoot oldRoot: TreeHash) -> (old: TreeHash, new: TreeHash) {
        var fn = oldSize - 1
        var sn = newSize - 1
        var nodes = hashes[...]
        // Step 2: a power-of-two old tree is itself the first node.
        let first: TreeHash
        if oldSize.nonzeroBitCount == 1 {
            first = oldRoot
        } else {
            first = nodes.removeFirst()
        }
        // Step 4.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first
        var sr = first
        for c in nodes {
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        assert(sn == 0)
        return (fr, sr)
    }

    /// Verifies that the tree with `oldRoot` at `oldSize` is a prefix of the tree
    /// with `newRoot` at `newSize` (RFC 9162 §2.1.4.2). Equal sizes need an empty
    /// proof and equal roots. Throws the precise reason on failure.
    public func verify(oldRoot: TreeHash, newRoot: TreeHash) throws(ProofError) {
        try Self.checkSizes(oldSize: oldSize, newSize: newSize)
        let expected = Self.expectedLength(oldSize: oldSize, newSize: newSize)
        guard hashes.count == expected else { throw .wrongProofLength(expected: expected, actual: hashes.count) }
        if oldSize == newSize {
            guard oldRoot == newRoot else { throw .differentRootsForSameSize(size: oldSize) }
            return
        }
        let (computedOld, computedNew) = roots(fromOldRoot: oldRoot)
        guard computedOld == oldRoot else { throw .oldRootMismatch(expected: oldRoot, computed: computedOld) }
        guard computedNew == newRoot else { throw .newRootMismatch(expected: newRoot, computed: computedNew) }
    }

    /// Verifies a consistency proof as it arrives on the wire (RFC 9162 §2.1.4.2),
    /// checking the sizes first, then that every hash is 32 bytes.
    ///
    /// For equal sizes nothing is hashed: the proof must be empty and the roots
    /// byte-for-byte equal, whatever their length. This is transparency-dev/merkle's
    /// behaviour, which the conformance vector
    /// `consistency/additional/sizes-are-equal-one-and-proof-is-empty.json`
    /// (two equal 12-byte "roots", must verify) pins down.
    public static func verify(oldSize: Int64, newSize: Int64, oldRoot: [UInt8], newRoot: [UInt8],
                              proof: [[UInt8]]) throws(ProofError) {
        try checkSizes(oldSize: oldSize, newSize: newSize)
        if oldSize == newSize {
            guard proof.isEmpty else { throw .wrongProofLength(expected: 0, actual: proof.count) }
            guard oldRoot == newRoot else { throw .differentRootsForSameSize(size: oldSize) }
            return
        }
        let old = try treeHash(oldRoot, role: .oldRoot)
        let new = try treeHash(newRoot, role: .newRoot)
        let path = try proofHashes(proof)
        try ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: path).verify(oldRoot: old, newRoot: new)
    }
}
