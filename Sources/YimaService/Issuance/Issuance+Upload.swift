import Foundation
import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords
import YimaStore

/// What `storeIssued` stored (or had stored before, for a retry).
public struct UploadedIssuance: Sendable, Equatable {
    /// The unit-issuance event's record id (64 hex).
    public let id: String
    public let logIndex: Int64
    /// `GTIN/LOT`.
    public let batch: String
    public let count: Int
    /// True when the same event with the same codes was already stored.
    public let alreadyStored: Bool
}

extension Issuance {
    /// Most codes one upload may carry (docs/api.md §Issuing codes from the browser).
    public static let maximumUploadedCodes = 10_000

    /// Stores codes a producer signed elsewhere (the workbench, in the browser) with
    /// their signed unit-issuance event: the event passes every check of the write
    /// path and of issuance (only the batch owner issues), every code must be of the
    /// event's batch and verify with the event's key, and the event and all units are
    /// stored in ONE transaction, or nothing is. The same event with the same codes
    /// again is answered as first (`alreadyStored`); with other codes it is refused.
    public func storeIssued(event envelope: Envelope, codes: [String]) throws(ServiceError) -> UploadedIssuance {
        // Who signed comes first: nobody without a registered key learns more (401).
        try recording.registry.requireEligibleSigner(envelope, kind: .event)
        let event: Event
        do {
            guard case .event(let decoded) = try Record(payload: envelope.payload) else {
                throw ServiceError.request(RequestRefusal(.malformed(field: "event"), .issuanceNotUnitIssuance))
            }
            event = decoded
        } catch let error as RecordError { throw .record(error) } catch { throw .wrap(error) }
        guard case .unitIssuance(let issuance) = event.data else {
            throw .request(RequestRefusal(.malformed(field: "event"), .issuanceNotUnitIssuance))
        }
        let (count, kid) = (issuance.count, issuance.keyID)
        guard (1...Self.maximumUploadedCodes).contains(codes.count) else {
            throw .request(RequestRefusal(.malformed(field: "codes"), .issuanceCodeCount, ["limit": Self.maximumUploadedCodes]))
        }
        guard count == Int64(codes.count) else {
            throw .request(RequestRefusal(.malformed(field: "codes"), .issuanceCountMismatch, ["count": count, "codes": codes.count]))
        }
        guard kid == envelope.keyID else {
            throw .request(RequestRefusal(.malformed(field: "event"), .issuanceKidMismatch, ["kid": envelope.keyID.hex]))
        }
        let parsed = try Self.parse(codes, of: event.batch)
        if let root = issuance.unitsRoot {
            // The event commits to its issued set (docs/issuance-commitment.md): these codes must be exactly it.
            let computed = try? IssuanceCommitment.root(of: parsed.map { (serial: $0.serial, signature: $0.signature) })
            guard computed?.bytes == root.bytes else {
                throw .request(RequestRefusal(.malformed(field: "event"), .issuanceRootMismatch, ["root": root.hex]))
            }
        }

        if let stored = try recording.storedRecord(id: envelope.recordID) {
            return try retried(stored, envelope: envelope, codes: parsed)
        }
        let accepted = try recording.accept(envelope)
        let batch = try reader.requireBatch(event.batch)
        guard event.actor.rawValue == batch.owner else {
            throw .rejected(.notAuthorised, .onlyOwnerIssues, ["owner": batch.owner, "signer": event.actor])
        }
        guard let key = try recording.registry.keyRegistry().registry.keys[kid]?.key.key else {
            throw .rejected(.unknownKey, .keyNotRegistered, ["key": kid])
        }
        for (index, code) in parsed.enumerated() where !Self.verifies(code, key: key) {
            throw .request(RequestRefusal(.forgedCode(field: "codes[\(index)]"), .issuanceForgedCode, ["field": "codes[\(index)]", "kid": kid]))
        }
        let issuedAt = recording.clock.now().seconds
        // All rows in the first call, none in the next: the store's produce-until-empty contract.
        var pending = parsed.map {
            StoredUnit(gtin: $0.gtin, lot: $0.lot, serial: $0.serial, keyID: kid.hex, signature: $0.signature, issuedAt: issuedAt)
        }
        do {
            let (stored, units) = try units.issueUnits(accepted.record, expectedHead: accepted.expectedHead) {
                defer { pending = [] }
                return pending
            }
            return UploadedIssuance(id: Hex.encode(stored.id), logIndex: stored.sequence, batch: event.batch.key, count: units,
                                    alreadyStored: false)
        } catch StoreError.duplicateUnit(let unit) {
            let serial = unit.split(separator: "/").last.map(String.init) ?? unit
            let index = parsed.firstIndex { $0.serial == serial } ?? 0
            throw .request(RequestRefusal(.issuanceConflict(field: "codes[\(index)]"), .issuanceUnitIssued,
                                          ["field": "codes[\(index)]", "serial": serial]))
        } catch {
            throw .wrap(error)
        }
    }

    /// A retry: answered as the first time if every code is stored exactly so.
    func retried(_ stored: StoredRecord, envelope: Envelope, codes: [UnitCode]) throws(ServiceError) -> UploadedIssuance {
        for code in codes {
            let unit = try ServiceError.reading { try units.unit(gtin: code.gtin, lot: code.lot, serial: code.serial) }
            guard let unit, unit.signature == code.signature, unit.keyID == envelope.keyID.hex else {
                throw .request(RequestRefusal(.issuanceConflict(field: nil), .issuanceConflict))
            }
        }
        return UploadedIssuance(id: envelope.recordID.hex, logIndex: stored.sequence, batch: stored.batchKey ?? "", count: codes.count,
                                alreadyStored: true)
    }

    /// The codes parsed, each of `batch`, no serial twice.
    static func parse(_ codes: [String], of batch: BatchReference) throws(ServiceError) -> [UnitCode] {
        var serials = Set<String>()
        var parsed: [UnitCode] = []
        parsed.reserveCapacity(codes.count)
        for (index, text) in codes.enumerated() {
            let field = "codes[\(index)]"
            let code: UnitCode
            do { code = try UnitCode.parse(text) } catch {
                throw .request(RequestRefusal(.malformedCode(field: field, reason: error.message(in: .english)), .issuanceMalformedCode,
                                              ["field": field, "reason": error.message(in: .english)]))
            }
            guard code.gtin == batch.gtin.rawValue, code.lot == batch.lot.rawValue else {
                throw .request(RequestRefusal(.malformed(field: field), .issuanceOtherBatch, ["field": field, "batch": batch.key]))
            }
            guard serials.insert(code.serial).inserted else {
                throw .request(RequestRefusal(.malformed(field: field), .issuanceSerialTwice, ["serial": code.serial]))
            }
            parsed.append(code)
        }
        return parsed
    }

    /// Whether `code` names `key` and its signature verifies with it (docs/code-format.md §Signed message).
    static func verifies(_ code: UnitCode, key: PublicKey) -> Bool {
        code.keyHint == key.id.short
            && key.isValidSignature(code.signature, for: UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial))
    }
}
