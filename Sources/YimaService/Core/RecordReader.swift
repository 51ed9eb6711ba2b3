import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords
import YimaStore

/// Stored records decoded and checked once: batch histories, products and parties.
/// Every use case that reads history reads it here, so each record is checked
/// against the log and its signer when it is first loaded (`RecordReader+Integrity`).
public struct RecordReader: Sendable {
    let records: any RecordStore
    let log: any TransparencyLog
    let registry: Registry
    /// Decoded records, shared by every copy of this reader.
    let cache = RecordCache()

    /// The batch's state (head id, counts), or nil if the store has no such batch.
    func batch(_ reference: BatchReference) throws(ServiceError) -> BatchState? {
        try ServiceError.reading { try records.batch(key: reference.key) }
    }

    /// The batch's state, or a refusal naming the batch.
    func requireBatch(_ reference: BatchReference, hint: (en: String, zh: String)? = nil) throws(ServiceError) -> BatchState {
        guard let state = try batch(reference) else {
            throw .rejected(.unknownReference) { language in
                ServiceMessage.unknownBatch.text(in: language, ["batch": reference.key])
                    + (hint.map { ServiceMessage.unknownBatchHint.text(in: language, ["hint": language == .chinese ? $0.zh : $0.en]) } ?? "")
            }
        }
        return state
    }

    /// A batch's decoded history, ending at the head in `state` (cached; extended
    /// with only what was appended since).
    func history(_ state: BatchState) throws(ServiceError) -> [DecodedRecord] {
        try ServiceError.reading {
            try cache.history(batch: state.key, head: state.headID) { after in
                try checkedRecords(records.records(batchKey: state.key, after: after))
            }
        }
    }

    /// A batch's history read and checked from storage again, bypassing every cache:
    /// what a check of the stored bytes must use.
    func freshHistory(batchKey: String) throws(ServiceError) -> [DecodedRecord] {
        try ServiceError.reading { try checkedRecords(records.records(batchKey: batchKey)) }
    }

    func product(gtin: String, fresh: Bool = false) throws(ServiceError) -> DecodedRecord? {
        let load = { try checkedRecords(records.productRecord(gtin: gtin).map { [$0] } ?? []).first }
        if fresh { return try ServiceError.reading(load) }
        return try ServiceError.reading { try cache.product(gtin: gtin, load: load) }
    }

    /// The record registering party `id`, decoded.
    func party(id: String) throws(ServiceError) -> (stored: StoredRecord, envelope: Envelope, party: Party)? {
        guard let stored = try ServiceError.reading({ try records.partyRecord(id: id) }) else { return nil }
        let decoded = try Self.decode(stored)
        guard case .party(let party) = decoded.record else {
            throw .store(.database("record \(Hex.encode(stored.id)) is not a party"))
        }
        return (stored, decoded.envelope, party)
    }

    func record(id: RecordID) throws(ServiceError) -> DecodedRecord? {
        guard let stored = try ServiceError.reading({ try records.record(id: id.bytes) }) else { return nil }
        return try Self.decode(stored)
    }

    static func decode(_ stored: StoredRecord) throws(ServiceError) -> DecodedRecord {
        try ServiceError.reading { try RecordCache.decode(stored) }
    }
}
