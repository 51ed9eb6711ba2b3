/// A record payload, version 1 (docs/records.md): a party, a key change, a product,
/// a batch or an event.
/// Decoding is strict: the bytes must be canonical JSON (RFC 8785), `v` must be 1,
/// and every field must be one the kind defines, so what is signed is exactly what
/// is shown. `payload` re-encodes to the very bytes decoded.
public enum Record: Sendable, Hashable {
    case party(Party)
    case product(Product)
    case batch(Batch)
    case event(Event)
    /// A party's key rotated or revoked by the authority.
    case key(KeyChange)

    /// The payload version this build writes and reads.
    public static let payloadVersion: Int64 = 1

    public enum Kind: String, Sendable, CaseIterable {
        case party, product, batch, event, key
    }

    /// Who signs a record of this kind (docs/records.md §Signers): party registrations
    /// and key changes are the county authority's; every other kind is signed by a key
    /// of a registered party. The write path, chain verification and the server ask here.
    public static func isSignedByAuthority(_ kind: Kind) -> Bool { kind == .party || kind == .key }

    public var kind: Kind {
        switch self {
        case .party: .party
        case .product: .product
        case .batch: .batch
        case .event: .event
        case .key: .key
        }
    }

    /// Decodes canonical payload bytes.
    public init(payload: some Collection<UInt8>) throws(RecordError) {
        let value: JSONValue
        do { value = try CanonicalJSON.decode(payload) } catch {
            throw RecordError(field: "", problem: .notCanonical(error))
        }
        try self.init(json: value)
    }

    /// Decodes a JSON value (from `CanonicalJSON.parse`, for example).
    public init(json value: JSONValue) throws(RecordError) {
        var reader = try ObjectReader(value, path: "")
        let version = try reader.integer("v")
        guard version == Self.payloadVersion else {
            throw RecordError.invalid("v", .recordVersionUnsupported, ["version": version])
        }
        let kind = try reader.string("kind")
        switch Kind(rawValue: kind) {
        case .party: self = .party(try Party(reading: &reader))
        case .product: self = .product(try Product(reading: &reader))
        case .batch: self = .batch(try Batch(reading: &reader))
        case .event: self = .event(try Event(reading: &reader))
        case .key: self = .key(try KeyChange(reading: &reader))
        case nil: throw RecordError.invalid("kind", .recordKindUnknown, ["kind": kind])
        }
        try reader.finish()
    }

    public var json: JSONValue {
        switch self {
        case .party(let party): party.json
        case .product(let product): product.json
        case .batch(let batch): batch.json
        case .event(let event): event.json
        case .key(let change): change.json
        }
    }

    /// The canonical payload bytes.
    public var payload: [UInt8] { CanonicalJSON.encode(json) }

    /// The record id: SHA-256 of `payload`.
    public var id: RecordID { RecordID(payload: payload) }
}
