import YimaCrypto

/// The hash functions of an RFC 9162 §2.1 Merkle Tree Hash (MTH) with SHA-256.
///
/// - empty tree: `MTH({}) = SHA-256()`
/// - leaf: `MTH({d0}) = SHA-256(0x00 || d0)`
/// - interior node: `SHA-256(0x01 || MTH(left) || MTH(right))`
///
/// The domain-separation prefixes keep a leaf from ever being mistaken for a node
/// (second-preimage resistance, RFC 9162 §2.1.1).
public enum MerkleHash {
    /// The prefix byte of a leaf hash input.
    public static let leafPrefix: UInt8 = 0x00
    /// The prefix byte of an interior node hash input.
    public static let nodePrefix: UInt8 = 0x01

    /// The hash of the empty tree, SHA-256 of no bytes:
    /// `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`.
    public static let emptyTree: TreeHash = TreeHash(bytes: Digest.sha256([UInt8]()))!

    /// `SHA-256(0x00 || entry)`: the hash of one log entry (RFC 9162 §2.1.1).
    public static func leaf(_ entry: some Collection<UInt8>) -> TreeHash {
        let count = entry.count + 1
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            buffer[0] = leafPrefix
            _ = UnsafeMutableBufferPointer(rebasing: buffer[1...]).initialize(fromContentsOf: entry)
            return digest(UnsafeBufferPointer(buffer))
        }
    }

    /// `SHA-256(0x01 || left || right)`: an interior node (RFC 9162 §2.1.1).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { buffer in
            buffer[0] = nodePrefix
            let raw = UnsafeMutableRawBufferPointer(buffer)
            left.withUnsafeBytes { raw.baseAddress!.advanced(by: 1).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            right.withUnsafeBytes { raw.baseAddress!.advanced(by: 33).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            return digest(UnsafeBufferPointer(buffer))
        }
    }

    /// The Merkle Tree Hash of `leafHashes` by the recursive definition of
    /// RFC 9162 §2.1.1: split at the largest power of two smaller than n.
    ///
    /// O(n) hashes and O(log n) stack; a reference for tests and small trees.
    /// Logs compute tree heads from stored hashes (`StoredHashes.treeHash`).
    public static func treeHash(leafHashes: some RandomAccessCollection<TreeHash>) -> TreeHash {
        let hashes = Array(leafHashes)
        return hashes.withUnsafeBufferPointer { subtreeHash($0[...]) }
    }

    private static func subtreeHash(_ leaves: Slice<UnsafeBufferPointer<TreeHash>>) -> TreeHash {
        switch leaves.count {
        case 0: return emptyTree
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + Int(largestPowerOfTwo(lessThan: Int64(leaves.count)))
            return node(subtreeHash(leaves[..<split]), subtreeHash(leaves[split...]))
        }
    }

    private static func digest(_ input: UnsafeBufferPointer<UInt8>) -> TreeHash {
        // YimaCrypto's SHA-256 returns a fresh array; copy it inline.
        Digest.sha256(input).withUnsafeBytes { TreeHash(copying: $0) }
    }
}

/// The largest power of two strictly less than `n` (RFC 9162 §2.1.1's k), for n ≥ 2.
@inline(__always)
func largestPowerOfTwo(lessThan n: Int64) -> Int64 {
    precondition(n >= 2)
    return Int64(1) << (63 - (n - 1).leadingZeroBitCount)
}
