/// Reads stored hashes by their storage index (see `StoredHashes` for the layout).
///
/// This is the one thing a log store implements to generate tree heads and
/// proofs: an SQLite or PostgreSQL store keeps a table `(index INTEGER PRIMARY KEY,
/// hash BLOB(32))` and answers with one `SELECT … WHERE index IN (…)`.
/// Every call site batches all the indexes it needs into a single call.
public protocol HashReader {
    /// The hashes at `indexes`, in the same order, one per index (indexes may
    /// repeat and are not sorted). Throw if any is missing; never return fewer.
    func readHashes(_ indexes: [Int64]) throws -> [TreeHash]
}

/// Why a tree operation over stored hashes failed (not a verification failure;
/// see `ProofError` for those).
public enum HashReaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The reader returned a different number of hashes than were asked for.
    case wrongHashCount(requested: Int, returned: Int)
    /// A requested index is not stored (the in-memory store's error).
    case missingHash(index: Int64)

    public var description: String {
        switch self {
        case .wrongHashCount(let requested, let returned):
            "hash reader returned \(returned) hashes for \(requested) indexes"
        case .missingHash(let index): "no stored hash at index \(index)"
        }
    }
}

extension HashReader {
    /// `readHashes`, checking that the reader kept its contract on the count.
    func readChecked(_ indexes: [Int64]) throws -> [TreeHash] {
        let hashes = try readHashes(indexes)
        guard hashes.count == indexes.count else {
            throw HashReaderError.wrongHashCount(requested: indexes.count, returned: hashes.count)
        }
        return hashes
    }
}

/// An in-memory log of stored hashes: a reference `HashReader` for tests, tools
/// and benchmarks. Value semantics; not for concurrent mutation.
public struct InMemoryHashStore: HashReader, Sendable {
    /// Every stored hash, at its storage index.
    public private(set) var hashes: [TreeHash] = []
    /// The number of leaves appended.
    public private(set) var treeSize: Int64 = 0

    public init() {}

    /// Appends one leaf by its leaf hash, storing the leaf hash and every
    /// subtree hash it completes (RFC 9162 §2.1.1 nodes). O(log n).
    public mutating func append(leafHash: TreeHash) {
        // Read the left siblings straight from the array: the generic path
        // through `readHashes` would allocate two arrays per leaf.
        var current = leafHash
        hashes.append(current)
        var level = 0
        var index = treeSize
        while index & 1 == 1 {
            let left = hashes[Int(StoredHashes.index(level: level, index: index - 1))]
            current = MerkleHash.node(left, current)
            hashes.append(current)
            level += 1
            index >>= 1
        }
        treeSize += 1
    }

    /// Appends one entry (hashed as a leaf).
    public mutating func append(entry: some Collection<UInt8>) {
        append(leafHash: MerkleHash.leaf(entry))
    }

    public func readHashes(_ indexes: [Int64]) throws -> [TreeHash] {
        var result = [TreeHash]()
        result.reserveCapacity(indexes.count)
        for index in indexes {
            guard index >= 0, index < Int64(hashes.count) else { throw HashReaderError.missingHash(index: index) }
            result.append(hashes[Int(index)])
        }
        return result
    }
}
