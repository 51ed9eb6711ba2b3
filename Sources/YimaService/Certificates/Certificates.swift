import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// What a printed 承诺达标合格证 shows, gathered from the certificate event and the
/// batch's chain (docs/records.md §Certificate).
public struct CertificateView: Sendable {
    public let recordID: RecordID
    public let certificate: ComplianceCertificate
    public let batch: Batch
    public let product: Product?
    public let issuer: Party?
    public let time: Timestamp
    /// The latest recall of the batch, if any: a recalled batch's certificate no longer stands.
    public let recall: RecallNotice?
}

/// 承诺达标合格证 (docs/records.md §Certificate): certificates are events on the
/// batch's chain, signed by the producer; the rules refuse one that the batch's
/// history does not support.
public struct Certificates: Sendable {
    let recording: Recording
    let reader: RecordReader

    /// Signs and stores a certificate for a batch. The rules refuse it, saying why,
    /// while a safety interval runs, after a banned input, or after a failed inspection.
    @discardableResult
    public func issue(batch reference: BatchReference, quantity: JSONValue, basis: String, contact: String,
                                 number: String? = nil, sources: [String] = [], key: PrivateKey) throws(ServiceError) -> StoredRecord {
        let batch = try reader.requireBatch(reference)
        let time = recording.clock.timestamp()
        let issued = try ServiceError.reading { try reader.records.notices(type: EventType.certificate.rawValue) }
            .filter { $0.batchKey == reference.key }.count
        var data: [String: JSONValue] = [
            "number": .string(number ?? "\(batch.lot)-\(time.prefix(10).replacingOccurrences(of: "-", with: ""))-\(issued + 1)"),
            "quantity": quantity, "basis": .string(basis), "contact": .string(contact),
        ]
        if !sources.isEmpty { data["sources"] = .array(sources.map(JSONValue.string)) }
        let draft: JSONValue = .object([
            "type": .string(EventType.certificate.rawValue),
            "batch": .object(["gtin": .string(batch.gtin), "lot": .string(batch.lot)]),
            "time": .string(time), "data": .object(data),
        ])
        return try recording.submit(try recording.sign(draft: draft, kind: .event, key: key))
    }

    /// The certificate event `id` with what its label shows, or nil if `id` is not one.
    public func certificate(id: RecordID) throws(ServiceError) -> CertificateView? {
        guard let stored = try ServiceError.reading({ try reader.records.record(id: id.bytes) }), let batchKey = stored.batchKey,
              let state = try ServiceError.reading({ try reader.records.batch(key: batchKey) }) else { return nil }
        let history = try reader.history(state)
        guard let entry = history.first(where: { $0.envelope.recordID == id }), case .event(let event) = entry.record,
              case .certificate(let certificate) = event.data, case .batch(let batch)? = history.first?.record else { return nil }
        var product: Product?
        if case .product(let defined)? = try reader.product(gtin: state.gtin)?.record { product = defined }
        let recall = history.compactMap { decoded -> RecallNotice? in
            guard case .event(let later) = decoded.record, let notice = RecallNotice(later, recordID: decoded.envelope.recordID),
                  notice.units.isEmpty else { return nil }
            return notice
        }.last
        return CertificateView(recordID: id, certificate: certificate, batch: batch, product: product,
                               issuer: try reader.registry.registeredParty(forKey: entry.stored.signerKeyID), time: event.time, recall: recall)
    }
}
