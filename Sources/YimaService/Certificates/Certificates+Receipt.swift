import YimaCrypto
import YimaRecords

extension Certificates {
    /// A buyer (收购) records, signed with its own key, that it received the
    /// certificate event `certificate` of its batch from `from` (docs/records.md
    /// §Certificate): `yima certificate receive`. The rules refuse a record that is
    /// not a certificate of that batch (`certificate-receipt`) and a signer without a
    /// buyer's role.
    @discardableResult
    public func receive(certificate id: String, from: String, quantity: JSONValue? = nil,
                        key: PrivateKey) throws(ServiceError) -> RecordReceipt {
        guard let recordID = RecordID(hex: id), let stored = try reader.record(id: recordID),
              case .event(let certified) = stored.record, certified.type == .certificate else {
            throw .notFound(.certificateNotFound, ["id": id])
        }
        var data: [String: JSONValue] = ["certificate": .string(recordID.hex), "from": .string(from)]
        if let quantity { data["quantity"] = quantity }
        let draft: JSONValue = .object([
            "type": .string(EventType.certificateReceipt.rawValue),
            "batch": .object(["gtin": .string(certified.batch.gtin.rawValue), "lot": .string(certified.batch.lot.rawValue)]),
            "time": .string(recording.clock.timestamp()), "data": .object(data),
        ])
        return try RecordReceipt(try recording.submit(try recording.sign(draft: draft, kind: .event, key: key)))
    }
}
