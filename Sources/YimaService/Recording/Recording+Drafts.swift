import YimaCrypto
import YimaRecords
import YimaStore

/// Turning what a user writes (a JSON object with a record's own fields) into a
/// signed record: the service fills in what it knows — the format version and kind,
/// the signer's party as batch owner or event actor, the batch's chain head — and
/// the record types validate the rest with their own precise messages.
extension Recording {
    /// Signs a draft with `key` and submits it. `kind` says what the draft is.
    @discardableResult
    public func submit(draft: JSONValue, kind: Record.Kind, key: PrivateKey) throws(ServiceError) -> (StoredRecord, Record) {
        let envelope = try sign(draft: draft, kind: kind, key: key)
        let stored = try submit(envelope)
        return (stored, try RecordReader.decode(stored).record)
    }

    /// The signed envelope for a draft, without storing it. An event's `prev` is the
    /// batch's stored head unless `head` names a newer, pending one.
    public func sign(draft: JSONValue, kind: Record.Kind, key: PrivateKey, head: RecordID? = nil) throws(ServiceError) -> Envelope {
        guard case .object(var fields) = draft else {
            throw .record(RecordError(field: "", problem: .invalid(zh: ServiceMessage.draftNotObject.text(in: .chinese),
                                                                      en: ServiceMessage.draftNotObject.text(in: .english))))
        }
        fields["v"] = .integer(Record.payloadVersion)
        fields["kind"] = .string(kind.rawValue)
        switch kind {
        case .party:
            if case .string(let number)? = fields["person_id"] {
                // A natural person's ID number is personal information: only a salted
                // digest is signed and stored.
                let resident: ResidentIdentityNumber
                do { resident = try ResidentIdentityNumber(number, field: "person_id") } catch { throw .record(error) }
                let digest = PersonalIDDigest(number: resident)
                fields["person_id"] = .object(["salt": .string(digest.salt), "sha256": .string(digest.sha256)])
            }
        case .product, .key:
            break
        case .batch:
            if fields["owner"] == nil { fields["owner"] = .string(try registry.party(of: key).id.rawValue) }
        case .event:
            fields["actor"] = .string(try registry.party(of: key).id.rawValue)
            if fields["prev"] == nil, let head {
                fields["prev"] = .string(head.hex)
            } else if fields["prev"] == nil {
                guard case .object(let batchFields)? = fields["batch"], case .string(let gtin)? = batchFields["gtin"],
                      case .string(let lot)? = batchFields["lot"] else {
                    throw .record(RecordError(field: "batch", problem: .missing))
                }
                let reference: BatchReference
                do { reference = BatchReference(gtin: try GTIN(gtin, field: "batch.gtin"), lot: try Lot(lot, field: "batch.lot")) }
                catch { throw .record(error) }
                let batch = try reader.requireBatch(reference)
                fields["prev"] = .string(Hex.encode(batch.headID))
            }
        }
        let record: Record
        do { record = try Record(json: .object(fields)) } catch { throw .record(error) }
        do { return try Envelope.sign(record, with: key) } catch { throw .envelope(error) }
    }
}
