import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// One record of a unit's history with who signed it.
public struct ChainEntry: Sendable {
    public let stored: StoredRecord
    public let envelope: Envelope
    public let record: Record
    public let signer: Party?
}

/// Everything known about one unit: its code's verdict, its product and batch, and
/// the batch's hash-linked history, in order.
public struct UnitChain: Sendable {
    public let code: UnitCode
    /// Whether the code's signature holds against the issuing party's registered key
    /// and the code was actually issued (a validly signed code absent from the store
    /// is reported as not issued).
    public let verdict: UnitVerdict
    public let product: ChainEntry?
    public let batch: ChainEntry
    public let events: [ChainEntry]
    /// The carton or pallet this unit was packed into, if any.
    public let container: String?

    /// The batch's recall notices in chain order (docs/records.md §Recall).
    public var recallNotices: [RecallNotice] {
        events.compactMap { entry in
            guard case .event(let event) = entry.record else { return nil }
            return RecallNotice(event, recordID: entry.envelope.recordID)
        }
    }

    /// The latest notice recalling this unit, if any.
    public var recall: RecallNotice? {
        recallNotices.last { $0.covers(gtin: code.gtin, lot: code.lot, serial: code.serial) }
    }
}

public enum UnitVerdict: Sendable, Equatable {
    case genuine(keyID: String, party: String)
    case notIssued
    case forged
    /// Issued and signed as stored, but by a key that was revoked, rotated out or
    /// outside its party's registration when the unit was issued.
    case keyNotValid(keyID: String, party: String, status: KeyStatus)
}

extension TraceService {
    /// Assembles a unit's chain from the store. Records were verified when stored;
    /// `verifyChain` re-checks every signature and hash link of what comes back.
    ///
    /// Lookups read decoded records from the service's cache (they were verified when
    /// stored). `fresh` reads and decodes everything from storage again, as a check of
    /// the stored bytes must: use it with `verifyChain`.
    public func chain(for scanned: String, fresh: Bool = false) throws(ServiceError) -> UnitChain {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch { throw .code(error) }
        let batchKey = "\(code.gtin)/\(code.lot)"
        let found = try lookup { try store.lookupUnit(gtin: code.gtin, lot: code.lot, serial: code.serial) }
        guard let state = found.batch else {
            throw .notFound("no batch \(batchKey) in this store: the code was not issued here",
                            zh: "数据库中没有批次 \(batchKey)：此码不是本系统签发的")
        }
        let records = fresh ? try lookup { try store.records(batchKey: batchKey).map(RecordCache.decode) } : try history(state)
        let entries = try records.map { decoded throws(ServiceError) in try entry(decoded) }
        guard let batchEntry = entries.first, case .batch = batchEntry.record else {
            throw .store(.database("batch \(batchKey) has no batch record"))
        }
        let productRecord = fresh ? try lookup { try store.productRecord(gtin: code.gtin).map(RecordCache.decode) }
                                  : try self.product(gtin: code.gtin)
        let product = try productRecord.map { decoded throws(ServiceError) in try entry(decoded) }
        return UnitChain(code: code, verdict: try verdict(for: code, issued: found.unit), product: product, batch: batchEntry,
                         events: Array(entries.dropFirst()), container: found.container)
    }

    private func entry(_ decoded: DecodedRecord) throws(ServiceError) -> ChainEntry {
        ChainEntry(stored: decoded.stored, envelope: decoded.envelope, record: decoded.record,
                   signer: try registeredParty(forKey: decoded.stored.signerKeyID))
    }

    /// Re-checks a chain as a verifier would: every envelope's signature against its
    /// signer's registered key, and every event's `prev` against the record before it.
    /// Returns the problems found, in order; empty means intact.
    public func verifyChain(_ chain: UnitChain) -> [String] {
        var problems: [String] = []
        let registry = (try? keyRegistry().registry) ?? KeyRegistry()
        var previous = chain.batch.envelope.recordID
        for entry in [chain.batch] + chain.events {
            let keyID = entry.envelope.keyID
            guard let key = registry.keys[keyID]?.key.key else {
                problems.append("record \(entry.envelope.recordID): signer key \(keyID) is not registered")
                continue
            }
            if case .invalid(let error) = entry.envelope.verify(with: key) {
                problems.append("record \(entry.envelope.recordID): \(error)")
            }
            // An event is judged at its signed time, other records when stored.
            var signedAt = Instant(seconds: entry.stored.recordedAt)
            if case .event(let event) = entry.record {
                signedAt = event.time.instant
                if event.previous != previous {
                    problems.append("record \(entry.envelope.recordID): prev \(event.previous) is not the previous record \(previous)")
                }
                previous = entry.envelope.recordID
            }
            let status = registry.status(of: keyID, signedAt: signedAt)
            if !status.isValid {
                problems.append("record \(entry.envelope.recordID): \(status.message(keyID: keyID.hex, in: .english))")
            }
        }
        return problems
    }
}
