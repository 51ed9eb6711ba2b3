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

    /// What the store knows about a scanned unit, in one read.
    public func lookupUnit(_ code: UnitCode) throws(ServiceError) -> UnitLookup {
        try lookup { try store.lookupUnit(gtin: code.gtin, lot: code.lot, serial: code.serial) }
    }

    /// `lookupUnit` and, when `scanClients` is given and the store keeps scans, the
    /// unit's scan summary with up to that many client hashes, in one trip to the store.
    public func lookupUnit(_ code: UnitCode, scanClients: Int?) throws(ServiceError) -> UnitLookup {
        guard let scans = scanStore else { return try lookupUnit(code) }
        return try lookup { try scans.lookupUnit(gtin: code.gtin, lot: code.lot, serial: code.serial, scanClientLimit: scanClients) }
    }

    /// The verdict `chain(for:)` gives for this code: genuine when it is exactly the
    /// code issued (same signature, naming the issuing key, which belongs to a
    /// registered party), forged when the unit exists but the code differs, not
    /// issued otherwise.
    ///
    /// With `checkSignature`, the signature is also verified against the party's
    /// registered key. Every unit row was signed by this service at issuance, so the
    /// lookup server may skip that per-scan cost (70 µs of Ed25519); the signature is
    /// in every answer for clients and auditors to verify themselves.
    ///
    /// A genuine code whose key was revoked (or outside its window) when the unit was
    /// issued is `keyNotValid` (docs/trust-list.md §Key status). `registryMaxAge` is
    /// how stale the key registry may be (the resolver allows a second).
    public func verdict(for code: UnitCode, issued unit: StoredUnit?, checkSignature: Bool = true,
                        registryMaxAge: Duration = .zero) throws(ServiceError) -> UnitVerdict {
        guard let unit else { return .notIssued }
        guard unit.signature == code.signature else { return .forged }
        let registry = try keyRegistry(maxAge: registryMaxAge).registry
        if checkSignature {
            guard let keyID = KeyID(hex: unit.keyID), let key = registry.keys[keyID]?.key.key else { return .forged }
            let message = UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial)
            guard key.isValidSignature(code.signature, for: message) else { return .forged }
        }
        return Self.verdict(for: code, signedBy: unit.keyID, issuedAt: unit.issuedAt, in: registry)
    }

    /// The verdict for a code known to carry its unit's issued signature, made with
    /// key `keyID` at `issuedAt` (a unit index's answer): genuine when the key is a
    /// registered party's in `registry`, matches the code's key hint and was valid then.
    public static func verdict(for code: UnitCode, signedBy keyID: String, issuedAt: Int64, in registry: KeyRegistry) -> UnitVerdict {
        guard let id = KeyID(hex: keyID), let entry = registry.keys[id], id.short == code.keyHint else { return .forged }
        let status = registry.status(of: id, signedAt: Instant(seconds: issuedAt))
        guard status.isValid else { return .keyNotValid(keyID: keyID, party: entry.party.rawValue, status: status) }
        return .genuine(keyID: keyID, party: entry.party.rawValue)
    }
}
