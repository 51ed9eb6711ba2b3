/// Collects the Merkle Tree Hashes of several leaf ranges, reads every stored
/// hash they need in one `HashReader` call, and folds each range's hashes.
///
/// Each range `[lo, hi)` comes from the RFC 9162 §2.1.1 recursion, so `lo` is a
/// multiple of the largest power of two ≤ `hi − lo`, and its MTH is the fold,
/// right to left, of its maximal complete subtrees taken left to right
/// (sizes = the binary digits of `hi − lo`, largest first).
struct SubtreePlan {
    private var indexes: [Int64] = []
    /// For each range, where its subtree hashes start in `indexes`.
    private var starts: [Int] = []

    init() {}

    mutating func add(range: Range<Int64>) {
        precondition(!range.isEmpty)
        starts.append(indexes.count)
        var lo = range.lowerBound
        let hi = range.upperBound
        while lo < hi {
            let alignment = lo == 0 ? 62 : lo.trailingZeroBitCount
            let fit = 63 - (hi - lo).leadingZeroBitCount
            let level = min(alignment, fit)
            indexes.append(StoredHashes.index(level: level, index: lo >> Int64(level)))
            lo += Int64(1) << Int64(level)
        }
    }

    /// One hash per added range, in the order added.
    func resolve(with reader: some HashReader) throws -> [TreeHash] {
        if starts.isEmpty { return [] }
        let hashes = try reader.readChecked(indexes)
        var result = [TreeHash]()
        result.reserveCapacity(starts.count)
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : hashes.count
            var hash = hashes[end - 1]
            var cursor = end - 1
            while cursor > start {
                cursor -= 1
                hash = MerkleHash.node(hashes[cursor], hash)
            }
            result.append(hash)
        }
        return result
    }
}
