import YimaLedger

/// The Merkle log over the store's records (leaf n = record n's envelope bytes).
public protocol TransparencyLog: Sendable {
    func treeSize() throws(StoreError) -> Int64
    /// The RFC 9162 Merkle Tree Hash of the first `size` records.
    func treeHash(size: Int64) throws(StoreError) -> TreeHash
    func inclusionProof(leaf: Int64, treeSize: Int64) throws(StoreError) -> InclusionProof
    func consistencyProof(oldSize: Int64, newSize: Int64) throws(StoreError) -> ConsistencyProof
    /// Stored hashes by storage index (`StoredHashes`), in one read: what hash tiles serve.
    func logHashes(_ indexes: [Int64]) throws(StoreError) -> [TreeHash]
    /// The entries (envelope bytes) of leaves `range`, in order: what entry bundles serve.
    func entries(_ range: Range<Int64>) throws(StoreError) -> [[UInt8]]
}
