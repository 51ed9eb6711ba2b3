import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Pieces of `chain(for:)` for the lookup server, which caches the batch part of a
/// chain (it changes only when the batch's head moves) and checks each unit apart.
extension TraceService {
    /// The batch's state (head id, counts), or nil if the store has no such batch.
    public func batchState(gtin: String, lot: String) throws(ServiceError) -> BatchState? {
        try lookup { try store.batch(key: "\(gtin)/\(lot)") }
    }

    /// The verdict `chain(for:)` gives for this code, without assembling the chain:
    /// genuine when the code is the one issued and its signature holds against the
    /// issuing party's registered key; forged when the unit exists but the signature
    /// differs or fails; not issued otherwise.
    public func verdict(for code: UnitCode) throws(ServiceError) -> UnitVerdict {
        guard let unit = try lookup({ try store.unit(gtin: code.gtin, lot: code.lot, serial: code.serial) }) else {
            return .notIssued
        }
        guard unit.signature == code.signature,
              let stored = try lookup({ try store.partyRecord(forKey: unit.keyID) }) else { return .forged }
        let owner = try partyOf(stored)
        guard let key = owner.publicKeys.first(where: { $0.id.hex == unit.keyID })?.key else { return .forged }
        let message = UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial)
        return key.isValidSignature(code.signature, for: message) ? .genuine(keyID: unit.keyID, party: owner.id.rawValue) : .forged
    }

    /// The carton or pallet a unit was packed into, if any.
    public func container(gtin: String, lot: String, serial: String) throws(ServiceError) -> String? {
        try lookup { try store.container(of: "\(gtin)/\(lot)/\(serial)") }
    }
}
