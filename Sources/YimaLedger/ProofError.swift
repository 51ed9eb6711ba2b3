/// Which hash of a proof check a `ProofError.badHashLength` is about.
public enum HashRole: Equatable, Sendable, CustomStringConvertible {
    case leaf
    case root
    case oldRoot
    case newRoot
    /// The proof node at this position (0-based).
    case proofNode(Int)

    public var description: String {
        switch self {
        case .leaf: "leaf hash"
        case .root: "root hash"
        case .oldRoot: "old root hash"
        case .newRoot: "new root hash"
        case .proofNode(let position): "proof node \(position)"
        }
    }
}

/// Why an inclusion or consistency proof was rejected, or could not be built.
public enum ProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A hash is not 32 bytes.
    case badHashLength(HashRole, byteCount: Int)
    /// A tree size is negative.
    case invalidTreeSize(Int64)
    /// The leaf index is negative or not below the tree size.
    case leafIndexOutOfRange(leafIndex: Int64, treeSize: Int64)
    /// A consistency proof from the empty tree proves nothing and is refused.
    case oldSizeIsZero
    /// A consistency proof goes from a larger tree to a smaller one.
    case oldSizeExceedsNewSize(oldSize: Int64, newSize: Int64)
    /// The proof has the wrong number of nodes for its sizes and index.
    case wrongProofLength(expected: Int, actual: Int)
    /// The inclusion proof leads to a different root.
    case rootMismatch(expected: TreeHash, computed: TreeHash)
    /// The consistency proof does not reproduce the old root.
    case oldRootMismatch(expected: TreeHash, computed: TreeHash)
    /// The consistency proof does not reproduce the new root.
    case newRootMismatch(expected: TreeHash, computed: TreeHash)
    /// Two tree heads of the same size have different roots (a fork).
    case differentRootsForSameSize(size: Int64)

    public var description: String {
        switch self {
        case .badHashLength(let role, let count): "\(role) is \(count) bytes, not 32"
        case .invalidTreeSize(let size): "invalid tree size \(size)"
        case .leafIndexOutOfRange(let index, let size): "leaf index \(index) is out of range for tree size \(size)"
        case .oldSizeIsZero: "consistency from the empty tree (size 0) is not provable"
        case .oldSizeExceedsNewSize(let old, let new): "old tree size \(old) exceeds new tree size \(new)"
        case .wrongProofLength(let expected, let actual): "proof has \(actual) nodes, expected \(expected)"
        case .rootMismatch(let expected, let computed): "proof leads to root \(computed), expected \(expected)"
        case .oldRootMismatch(let expected, let computed): "proof leads to old root \(computed), expected \(expected)"
        case .newRootMismatch(let expected, let computed): "proof leads to new root \(computed), expected \(expected)"
        case .differentRootsForSameSize(let size): "two different roots for the same tree size \(size)"
        }
    }
}

/// Converts wire bytes to hashes, naming the first one that is not 32 bytes.
func treeHash(_ bytes: [UInt8], role: HashRole) throws(ProofError) -> TreeHash {
    guard let hash = TreeHash(bytes: bytes) else { throw .badHashLength(role, byteCount: bytes.count) }
    return hash
}

func proofHashes(_ proof: [[UInt8]]) throws(ProofError) -> [TreeHash] {
    var hashes = [TreeHash]()
    hashes.reserveCapacity(proof.count)
    for (position, bytes) in proof.enumerated() {
        hashes.append(try treeHash(bytes, role: .proofNode(position)))
    }
    return hashes
}
