import YimaCodes
import YimaLedger
import YimaRecords

/// One signed record of a unit's evidence: its place in the log and its envelope
/// bytes, exactly as logged (the leaf's entry).
public struct EvidenceRecord: Sendable, Hashable {
    public let logIndex: Int64
    public let envelope: [UInt8]

    public init(logIndex: Int64, envelope: [UInt8]) {
        self.logIndex = logIndex
        self.envelope = envelope
    }
}

/// Everything claimed about one unit: the code as scanned, a signed checkpoint,
/// and the records of its product, batch, events and the parties who signed
/// them. `ChainVerification` decides whether the claims hold.
public struct ChainEvidence: Sendable {
    public var code: String
    /// A signed checkpoint note covering every record.
    public var checkpoint: String
    public var records: [EvidenceRecord]

    public init(code: String, checkpoint: String, records: [EvidenceRecord]) {
        self.code = code
        self.checkpoint = checkpoint
        self.records = records
    }

    /// The records of a lookup server's JSON answer (docs/api.md §JSON): `product`,
    /// `batch`, `events` and `parties`, each with its `log_index` and `envelope`.
    public init(code: String, checkpoint: String, lookupJSON: [UInt8]) throws(VerificationFailure) {
        guard case .object(let members)? = try? CanonicalJSON.parse(lookupJSON) else {
            throw VerificationFailure("json", .answerNotObject)
        }
        var items: [JSONValue] = []
        for name in ["product", "batch"] { if let item = members[name] { items.append(item) } }
        for name in ["events", "parties"] { if case .array(let list)? = members[name] { items += list } }
        var records: [EvidenceRecord] = []
        for item in items {
            guard case .object(let fields) = item, case .integer(let index)? = fields["log_index"],
                  let envelope = fields["envelope"], case .object = envelope else {
                throw VerificationFailure("json", .answerRecordMembers)
            }
            records.append(EvidenceRecord(logIndex: index, envelope: CanonicalJSON.encode(envelope)))
        }
        self.init(code: code, checkpoint: checkpoint, records: records)
    }
}
