/// A trust list, version 1 (docs/trust-list.md): everything an offline verifier needs
/// to judge keys and recalls, signed by the county authority in an envelope.
///
///     {"expires":"…","issued":"…","kind":"trust_list","recalls":[<envelope>…],
///      "registry":[<envelope>…],"v":1,"version":N}
///
/// `registry` holds every party and key record in log order, `recalls` every recall
/// event, each as the envelope its signer made, so the verifier re-checks each
/// signature and rebuilds the same `KeyRegistry` the server uses.
public struct TrustList: Sendable {
    public static let kind = "trust_list"

    /// Grows with every export (the store's log size): a newer list has a higher version.
    public var version: Int64
    public var issued: Timestamp
    /// A verifier refuses the list after this time.
    public var expires: Timestamp
    public var registry: [Envelope]
    public var recalls: [Envelope]

    public init(version: Int64, issued: Timestamp, expires: Timestamp, registry: [Envelope], recalls: [Envelope]) {
        self.version = version
        self.issued = issued
        self.expires = expires
        self.registry = registry
        self.recalls = recalls
    }

    public var json: JSONValue {
        .object(["v": .integer(Record.payloadVersion), "kind": .string(Self.kind), "version": .integer(version),
                 "issued": issued.json, "expires": expires.json,
                 "registry": .array(registry.map(\.json)), "recalls": .array(recalls.map(\.json))])
    }

    public var payload: [UInt8] { CanonicalJSON.encode(json) }

    /// Decodes canonical payload bytes strictly, as records are decoded.
    public init(payload: some Collection<UInt8>) throws(RecordError) {
        let value: JSONValue
        do { value = try CanonicalJSON.decode(payload) } catch { throw RecordError(field: "", problem: .notCanonical(error)) }
        var reader = try ObjectReader(value, path: "")
        guard try reader.integer("v") == Record.payloadVersion else {
            throw RecordError.invalid("v", .trustListVersion)
        }
        guard try reader.string("kind") == Self.kind else {
            throw RecordError.invalid("kind", .trustListKind)
        }
        version = try reader.integer("version")
        issued = try reader.parsed("issued", Timestamp.parse)
        expires = try reader.parsed("expires", Timestamp.parse)
        registry = try ObjectReader.elements(reader.array("registry"), at: "registry", Self.envelope)
        recalls = try ObjectReader.elements(reader.array("recalls"), at: "recalls", Self.envelope)
        try reader.finish()
        guard issued < expires else { throw RecordError.invalid("expires", .trustListExpires) }
    }

    static func envelope(_ value: JSONValue, at path: String) throws(RecordError) -> Envelope {
        do { return try Envelope(encoded: CanonicalJSON.encode(value)) } catch {
            throw RecordError.invalid(path) { RecordsMessage.trustListNotEnvelope.text(in: $0, ["reason": error.message(in: $0)]) }
        }
    }
}
