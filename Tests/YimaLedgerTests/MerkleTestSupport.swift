@testable import YimaLedger

/// A log of `size` distinct entries ("entry 0", "entry 1", …) and its leaf hashes.
struct TestLog {
    var store = InMemoryHashStore()
    var leafHashes: [TreeHash] = []

    init(size: Int) {
        for i in 0..<size { append(Array("entry \(i)".utf8)) }
    }

    mutating func append(_ entry: [UInt8]) {
        let leaf = MerkleHash.leaf(entry)
        leafHashes.append(leaf)
        store.append(leafHash: leaf)
    }

    func root(_ size: Int) -> TreeHash { MerkleHash.treeHash(leafHashes: leafHashes[0..<size]) }
}

/// RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF straight from the definitions over
/// leaf hashes: the independent reference for the stored-hash generators.
enum ReferenceProofs {
    static func path(_ m: Int, _ leaves: ArraySlice<TreeHash>) -> [TreeHash] {
        let n = leaves.count
        if n <= 1 { return [] }
        let k = Int(largestPowerOfTwo(lessThan: Int64(n)))
        let lo = leaves.startIndex
        if m < k {
            return path(m, leaves[lo..<lo + k]) + [MerkleHash.treeHash(leafHashes: leaves[(lo + k)...])]
        }
        return path(m - k, leaves[(lo + k)...]) + [MerkleHash.treeHash(leafHashes: leaves[lo..<lo + k])]
    }

    static func proof(_ m: Int, _ leaves: ArraySlice<TreeHash>) -> [TreeHash] {
        subproof(m, leaves, true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<TreeHash>, _ b: Bool) -> [TreeHash] {
        let n = leaves.count
        if m == n { return b ? [] : [MerkleHash.treeHash(leafHashes: leaves)] }
        let k = Int(largestPowerOfTwo(lessThan: Int64(n)))
        let lo = leaves.startIndex
        if m <= k {
            return subproof(m, leaves[lo..<lo + k], b) + [MerkleHash.treeHash(leafHashes: leaves[(lo + k)...])]
        }
        return subproof(m - k, leaves[(lo + k)...], false) + [MerkleHash.treeHash(leafHashes: leaves[lo..<lo + k])]
    }
}

/// Every way the property tests damage a proof: each byte of each node flipped,
/// each pair of distinct nodes swapped, the last or first node dropped, a node
/// appended. Each mutant is labelled for the failure message.
func mutations(of hashes: [TreeHash], extra: TreeHash) -> [(label: String, hashes: [TreeHash])] {
    var result = [(String, [TreeHash])]()
    for i in hashes.indices {
        var bytes = hashes[i].bytes
        for j in 0..<TreeHash.byteCount {
            bytes[j] ^= 0x80
            var mutant = hashes
            mutant[i] = TreeHash(bytes: bytes)!
            result.append(("flip node \(i) byte \(j)", mutant))
            bytes[j] ^= 0x80
        }
        for k in hashes.indices where k > i && hashes[k] != hashes[i] {
            var mutant = hashes
            mutant.swapAt(i, k)
            result.append(("swap \(i) and \(k)", mutant))
        }
    }
    if !hashes.isEmpty {
        result.append(("drop last", Array(hashes.dropLast())))
        result.append(("drop first", Array(hashes.dropFirst())))
    }
    result.append(("append", hashes + [extra]))
    result.append(("prepend", [extra] + hashes))
    return result
}
