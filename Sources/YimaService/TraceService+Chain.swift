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
}

public enum UnitVerdict: Sendable, Equatable {
    case genuine(keyID: String, party: String)
    case notIssued
    case forged
}

extension TraceService {
    /// Assembles a unit's chain from the store. Records were verified when stored;
    /// `verifyChain` re-checks every signature and hash link of what comes back.
    public func chain(for scanned: String) throws(ServiceError) -> UnitChain {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch { throw .code(error) }
        let batchKey = "\(code.gtin)/\(code.lot)"
        guard try lookup({ try store.batch(key: batchKey) }) != nil else {
            throw .notFound("no batch \(batchKey) in this store: the code was not issued here", zh: "数据库中没有批次 \(batchKey)：此码不是本系统签发的")
        }
        let records = try lookup { try store.records(batchKey: batchKey) }
        var signers: [String: Party] = [:]
        let entries = try records.map { stored throws(ServiceError) in try entry(stored, signers: &signers) }
        guard let batchEntry = entries.first, case .batch = batchEntry.record else {
            throw .store(.database("batch \(batchKey) has no batch record"))
        }
        let product = try lookup({ try store.productRecord(gtin: code.gtin) })
            .map { stored throws(ServiceError) in try entry(stored, signers: &signers) }

        let verdict: UnitVerdict
        if let unit = try lookup({ try store.unit(gtin: code.gtin, lot: code.lot, serial: code.serial) }),
           unit.signature == code.signature {
            let owner = try lookup({ try store.partyRecord(forKey: unit.keyID) }).map { stored throws(ServiceError) in try partyOf(stored) }
            let key = owner?.publicKeys.first { $0.id.hex == unit.keyID }?.key
            let message = key.map { UnitCode.signedMessage(keyID: $0.id, gtin: code.gtin, lot: code.lot, serial: code.serial) }
            // The code must name the key it was issued under: a copied signature with an
            // altered key id is not the issued code.
            if let key, let message, key.id.short == code.keyHint,
               key.isValidSignature(code.signature, for: message), let owner {
                verdict = .genuine(keyID: unit.keyID, party: owner.id.rawValue)
            } else {
                verdict = .forged
            }
        } else if try lookup({ try store.unit(gtin: code.gtin, lot: code.lot, serial: code.serial) }) != nil {
            verdict = .forged
        } else {
            verdict = .notIssued
        }
        let container = try lookup { try store.container(of: "\(batchKey)/\(code.serial)") }
        return UnitChain(code: code, verdict: verdict, product: product, batch: batchEntry,
                         events: Array(entries.dropFirst()), container: container)
    }

    private func entry(_ stored: StoredRecord, signers: inout [String: Party]) throws(ServiceError) -> ChainEntry {
        let envelope: Envelope
        do { envelope = try Envelope(encoded: stored.envelope) } catch { throw .envelope(error) }
        let record: Record
        do { record = try Record(payload: envelope.payload) } catch { throw .record(error) }
        var signer = signers[stored.signerKeyID]
        if signer == nil, let party = try lookup({ try store.partyRecord(forKey: stored.signerKeyID) }) {
            signer = try partyOf(party)
            signers[stored.signerKeyID] = signer
        }
        return ChainEntry(stored: stored, envelope: envelope, record: record, signer: signer)
    }

    /// Re-checks a chain as a verifier would: every envelope's signature against its
    /// signer's registered key, and every event's `prev` against the record before it.
    /// Returns the problems found, in order; empty means intact.
    public func verifyChain(_ chain: UnitChain) -> [String] {
        var problems: [String] = []
        var previous = chain.batch.envelope.recordID
        for entry in [chain.batch] + chain.events {
            guard let key = entry.signer?.publicKey(entry.envelope.keyID) else {
                problems.append("record \(entry.envelope.recordID): signer key \(entry.envelope.keyID) is not registered")
                continue
            }
            if case .invalid(let error) = entry.envelope.verify(with: key) {
                problems.append("record \(entry.envelope.recordID): \(error)")
            }
            if case .event(let event) = entry.record {
                if event.previous != previous {
                    problems.append("record \(entry.envelope.recordID): prev \(event.previous) is not the previous record \(previous)")
                }
                previous = entry.envelope.recordID
            }
        }
        return problems
    }
}
