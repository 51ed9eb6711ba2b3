import YimaCrypto
import YimaRecords

/// What a user hands in as a file: a draft for the signer to sign, or, for events, an
/// envelope another party already signed.
public enum Submission: Sendable {
    case envelope(Envelope)
    case draft(JSONValue)

    /// An object with `payload` and `sig` is an envelope, stored exactly as signed;
    /// anything else is a draft.
    public init(_ value: JSONValue) throws(ServiceError) {
        guard case .object(let fields) = value, fields["payload"] != nil, fields["sig"] != nil else {
            self = .draft(value)
            return
        }
        do { self = .envelope(try Envelope(encoded: CanonicalJSON.encode(value))) } catch { throw .envelope(error) }
    }
}

extension Recording {
    /// Signs a draft with `key` and stores it (`submit(draft:kind:key:)`), for callers
    /// that report what was stored.
    public func record(draft: JSONValue, kind: Record.Kind, key: PrivateKey) throws(ServiceError) -> RecordReceipt {
        let (stored, record) = try submit(draft: draft, kind: kind, key: key)
        return RecordReceipt(stored, record)
    }

    /// Stores an event handed in as a file: an envelope as it is, or a draft signed by
    /// the key `signer` gives. `signer` is asked only for a draft, so an envelope needs
    /// no key; it throws what the caller wants said when there is none.
    public func recordEvent(_ value: JSONValue, signer: () throws -> PrivateKey) throws -> RecordReceipt {
        switch try Submission(value) {
        case .envelope(let envelope):
            return try RecordReceipt(submit(envelope))
        case .draft(let draft):
            return try record(draft: draft, kind: .event, key: signer())
        }
    }
}
