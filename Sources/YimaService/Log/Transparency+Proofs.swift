import YimaLedger
import YimaStore

/// Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4) for the command line;
/// over HTTP a client computes the same proofs from tiles.
extension Transparency {
    /// The proof that leaf `leaf` is in the tree of `treeSize` leaves (default: the whole log).
    public func inclusionProof(leaf: Int64, treeSize: Int64? = nil) throws(ServiceError) -> InclusionProof {
        let size = try proofSize(treeSize)
        guard leaf >= 0, leaf < size else {
            throw .invalidArgument(.leafOutside, ["leaf": leaf, "size": size])
        }
        return try ServiceError.reading { try log.inclusionProof(leaf: leaf, treeSize: size) }
    }

    /// The proof that the tree of `oldSize` leaves is a prefix of the tree of `newSize`
    /// leaves (default: the whole log).
    public func consistencyProof(oldSize: Int64, newSize: Int64? = nil) throws(ServiceError) -> ConsistencyProof {
        let size = try proofSize(newSize)
        guard oldSize >= 0, oldSize <= size else {
            throw .invalidArgument(.oldSizeOutside, ["old": oldSize, "size": size])
        }
        return try ServiceError.reading { try log.consistencyProof(oldSize: oldSize, newSize: size) }
    }

    private func proofSize(_ requested: Int64?) throws(ServiceError) -> Int64 {
        let size = try treeSize()
        guard let requested else { return size }
        guard requested >= 0, requested <= size else {
            throw .invalidArgument(.treeSizeBeyond, ["requested": requested, "size": size])
        }
        return requested
    }
}
