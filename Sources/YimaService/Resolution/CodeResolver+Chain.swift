import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

extension CodeResolver {
    /// A unit's chain for the command line and evidence bundles: the code's verdict with
    /// its signature verified against the party's registered key, the batch's history
    /// and the unit's container.
    ///
    /// `fresh` reads and decodes everything from storage again, bypassing every cache,
    /// as a check of the stored bytes must.
    public func chain(for scanned: String, fresh: Bool = false) throws(ServiceError) -> UnitChain {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch { throw .code(error) }
        let batchKey = code.batchKey.description
        let found = try ServiceError.reading { try units.lookupUnit(gtin: code.gtin, lot: code.lot, serial: code.serial) }
        guard let state = found.batch else {
            throw .notFound(.batchNotInStore, ["batch": batchKey])
        }
        let history = fresh
            ? try buildHistory(records: try reader.freshHistory(batchKey: batchKey), product: try reader.product(gtin: code.gtin, fresh: true),
                               gtin: code.gtin, lot: code.lot)
            : try self.history(of: state)
        return UnitChain(code: code, verdict: try verdict(for: code, issued: found.unit), history: history, container: found.container)
    }

    /// The verdict with the code's signature checked against the registered key: the
    /// command line's check, which trusts no unit row.
    func verdict(for code: UnitCode, issued unit: StoredUnit?) throws(ServiceError) -> UnitVerdict {
        guard let unit else { return .notIssued }
        guard unit.signature == code.signature else { return .forged }
        let keys = try registry.keyRegistry().registry
        guard let keyID = KeyID(hex: unit.keyID), let key = keys.keys[keyID]?.key.key else { return .forged }
        let message = UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial)
        guard key.isValidSignature(code.signature, for: message) else { return .forged }
        return Self.verdict(for: code, signedBy: unit.keyID, issuedAt: unit.issuedAt, in: keys)
    }

    /// A history from decoded records: entries with their signers, the parties they
    /// name, and the load-time integrity failures with the chain's broken links.
    func buildHistory(records: [DecodedRecord], product: DecodedRecord?, gtin: String, lot: String) throws(ServiceError) -> BatchHistory {
        let entries = try records.map { decoded throws(ServiceError) in try entry(decoded) }
        guard let batch = entries.first, case .batch = batch.record else {
            throw .store(.database("batch \(BatchKey(gtin: gtin, lot: lot)) has no batch record"))
        }
        let productEntry = try product.map { decoded throws(ServiceError) in try entry(decoded) }
        var parties: [ChainEntry] = []
        for id in BatchHistory.namedParties(in: entries + (productEntry.map { [$0] } ?? [])) {
            guard let found = try reader.party(id: id) else { continue }
            parties.append(ChainEntry(stored: found.stored, envelope: found.envelope, record: .party(found.party), signer: nil))
        }
        return BatchHistory(gtin: gtin, lot: lot, product: productEntry, batch: batch, events: Array(entries.dropFirst()),
                            parties: parties, integrity: RecordReader.integrityFailures(product: product, history: records))
    }

    func entry(_ decoded: DecodedRecord) throws(ServiceError) -> ChainEntry {
        ChainEntry(stored: decoded.stored, envelope: decoded.envelope, record: decoded.record,
                   signer: try registry.registeredParty(forKey: decoded.stored.signerKeyID))
    }

    /// Re-checks a chain as a verifier would (`ChainVerification`, with this store's
    /// key registry and no checkpoint): every envelope's signature against its signer's
    /// registered key, each key's status when it signed, and every event's `prev`
    /// against the record before it. Empty means intact.
    public func verifyChain(_ chain: UnitChain) -> [ChainFailure] {
        verify(chain.history, code: chain.code)
    }

    /// A batch's history re-checked the same way, without a unit (`yima migrate`).
    public func verifyBatch(_ history: BatchHistory) -> [ChainFailure] {
        verify(history, code: UnitCode(stem: "", gtin: history.gtin, lot: history.lot, serial: "", keyHint: 0, signature: []))
    }

    private func verify(_ history: BatchHistory, code: UnitCode) -> [ChainFailure] {
        let keys = (try? registry.keyRegistry().registry) ?? KeyRegistry()
        let entries = ((history.product.map { [$0] } ?? []) + [history.batch] + history.events).map { entry in
            // An event is judged at its signed time, other records when stored.
            var signedAt = Instant(seconds: entry.stored.recordedAt)
            if case .event(let event) = entry.record { signedAt = event.time.instant }
            return ChainVerification.Entry(logIndex: entry.stored.sequence, envelope: entry.envelope, record: entry.record, signedAt: signedAt)
        }
        return ChainVerification.check(entries, code: code, keys: .registry(keys), checks: [.signature, .keyStatus, .chain]).failures
    }
}
