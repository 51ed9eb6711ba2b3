import YimaRecords

/// Why the write path refused a record: one case per check (docs/api.md §Write API,
/// docs/records.md §Rules), whichever layer found it: the record's decoder, the
/// envelope's signature, the registry, the rules or the store. Callers that map
/// refusals to statuses or exit codes switch over this, not over the error's origin.
public enum Refusal: Sendable, Equatable {
    /// The record does not decode; `field` names the member at fault.
    case malformedRecord(field: String)
    /// The envelope is not well formed (docs/envelope.md).
    case malformedEnvelope
    /// The signature does not verify with the key it names.
    case badSignature
    /// A party or key record not signed by an authority key.
    case notAuthority
    /// The signing key belongs to no registered party (or, in a key change, the key
    /// or party it names is unknown).
    case unknownKey
    /// The signer lacks the role, or acts for another party: `rule` is the rule's id when a rule said so.
    case notAuthorised(rule: RuleViolation.Rule?, fields: [String])
    /// The signing key is revoked, rotated out or outside its party's registration.
    case keyNotValid
    /// The record refers to a product, batch or certificate that does not exist.
    case unknownReference
    /// What the record creates exists already.
    case duplicate
    /// The same record is already stored (a client retrying).
    case replay
    /// The batch has a newer head than the one the record extends.
    case staleHead(rule: RuleViolation.Rule?, fields: [String])
    /// A domain rule (docs/records.md §Rules) refused the event.
    case rule(RuleViolation.Rule, fields: [String])
    /// Not a refusal of the record: the store failed.
    case storeFailure
    /// Anything else: the request itself is wrong.
    case invalid
}

extension ServiceError {
    /// The write path's check that refused, whichever layer found it.
    public var refusal: Refusal {
        switch self {
        case .envelope(.invalidRecord(let problem)), .record(let problem): .malformedRecord(field: problem.field)
        case .envelope(.badSignature), .envelope(.wrongKey), .envelope(.algorithmMismatch): .badSignature
        case .envelope: .malformedEnvelope
        case .rule(let violation) where violation.rule == .role || violation.rule == .actorMismatch:
            .notAuthorised(rule: violation.rule, fields: violation.fields)
        case .rule(let violation) where violation.rule == .chainLink: .staleHead(rule: violation.rule, fields: violation.fields)
        case .rule(let violation): .rule(violation.rule, fields: violation.fields)
        case .store(.duplicateRecord): .replay
        case .store(.staleHead): .staleHead(rule: nil, fields: [])
        case .store(.duplicateBatch), .store(.duplicateUnit), .store(.alreadyPacked), .store(.duplicateAlias): .duplicate
        case .store(.unknownBatch): .unknownReference
        case .store: .storeFailure
        case .rejected(.notAuthority, _, _): .notAuthority
        case .rejected(.signerNotRegistered, _, _), .rejected(.unknownKey, _, _): .unknownKey
        case .rejected(.notAuthorised, _, _): .notAuthorised(rule: nil, fields: [])
        case .rejected(.keyNotValid, _, _): .keyNotValid
        case .rejected(.unknownReference, _, _), .notFound: .unknownReference
        case .rejected(.duplicate, _, _): .duplicate
        default: .invalid
        }
    }
}

extension ServiceError {
    /// The record decoder's own error, when the record is malformed.
    public var recordError: RecordError? {
        switch self {
        case .envelope(.invalidRecord(let problem)), .record(let problem): problem
        default: nil
        }
    }
}
