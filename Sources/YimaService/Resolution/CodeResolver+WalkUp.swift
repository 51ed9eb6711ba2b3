import YimaCodes
import YimaRecords
import YimaStore

/// The levels above a unit (GS1 Digital Link walk-up: unit → batch → product), for
/// batch and product pages. Nothing here reads or judges a unit, and nothing counts
/// a scan.
extension CodeResolver {
    /// A batch's history at its current head (cached per head, as for unit lookups);
    /// nil when the store has no such batch.
    public func history(of batch: BatchReference) throws(ServiceError) -> BatchHistory? {
        guard let state = try batchState(batch) else { return nil }
        return try history(of: state)
    }

    /// A product and its batches, newest first; nil when the store knows neither a
    /// product record nor a batch with this GTIN.
    public func product(gtin: GTIN) throws(ServiceError) -> ProductResolution? {
        let all = try productBatches.batches(gtin: gtin.rawValue, records: records)
        let decoded = try reader.product(gtin: gtin.rawValue)
        guard decoded != nil || !all.isEmpty else { return nil }
        let product = try decoded.map { decoded throws(ServiceError) in try entry(decoded) }
        // The product's signer defined it; without a product record, the newest batch's owner.
        let ownerID = product?.signer?.id.rawValue ?? all.first?.owner
        var owner: ChainEntry?
        if let ownerID, let found = try reader.party(id: ownerID) {
            owner = ChainEntry(stored: found.stored, envelope: found.envelope, record: .party(found.party), signer: nil)
        }
        return ProductResolution(gtin: gtin.rawValue, product: product, owner: owner,
                                 batches: Array(all.prefix(ProductResolution.listedBatches)), batchCount: all.count)
    }
}
