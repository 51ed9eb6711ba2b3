import YimaCrypto
import YimaRecords
import YimaText

/// One reason a draft would be refused (docs/api.md §Dry run of the rules).
public struct DraftProblem: Sendable, Equatable {
    /// A rule id of records.md §Rules, or the write API's error id for other checks.
    public let rule: String
    public let fields: [String]
    public let chinese: String
    public let english: String

    public func message(in language: Language) -> String { language == .chinese ? chinese : english }
}

extension Recording {
    /// The dry run of the write path (docs/api.md §Dry run of the rules): every check
    /// `submit` makes except the signature, on the payload `draft` as `keyID` would
    /// sign it, storing nothing. An event's domain rules are all listed, not just the
    /// first. Throws only when the store cannot be read.
    public func check(draft: JSONValue, keyID: KeyID) throws(ServiceError) -> [DraftProblem] {
        let payload = CanonicalJSON.encode(draft)
        // The signature is never looked at; the algorithm is the key's so nothing else trips.
        let algorithm = registry.authorities.first { $0.id == keyID }?.algorithm
            ?? (try? registry.keyRegistry().registry.keys[keyID]?.key.algorithm) ?? .ed25519
        let unsigned = Envelope(algorithm: algorithm, keyID: keyID, payload: payload, signature: [UInt8](repeating: 0, count: 64))
        do {
            _ = try accept(unsigned, verifying: false)
            return []
        } catch {
            if error.refusal == .storeFailure { throw error }
            if case .rule = error, case .event(let event)? = try? Record(payload: payload) {
                let signer = try registry.signingParty(of: unsigned, at: clock.now(), verifying: false)
                let context = try ruleContext(event, batch: try reader.requireBatch(event.batch), signer: signer)
                let violations = Rules.violations(of: event, in: context)
                if !violations.isEmpty {
                    return violations.map {
                        DraftProblem(rule: $0.rule.rawValue, fields: $0.fields, chinese: $0.message(in: .chinese), english: $0.message(in: .english))
                    }
                }
            }
            return [Self.problem(error)]
        }
    }

    /// A refusal as a problem: its rule id, else the error id `/api/v1/records` answers with.
    static func problem(_ error: ServiceError) -> DraftProblem {
        let (rule, fields): (String, [String]) = switch error.refusal {
        case .malformedRecord(let field): ("malformed-record", field.isEmpty ? [] : [field])
        case .malformedEnvelope, .invalid, .badSignature: ("malformed-record", [])
        case .notAuthority: ("not-authority", [])
        case .unknownKey: ("unknown-key", [])
        case .notAuthorised(let rule, let fields): (rule?.rawValue ?? "not-authorised", fields)
        case .keyNotValid: ("key-not-valid", [])
        case .unknownReference: ("unknown-reference", [])
        case .duplicate: ("conflict", [])
        case .replay: ("replay", [])
        case .staleHead(let rule, let fields): (rule?.rawValue ?? "stale-head", fields)
        case .rule(let rule, let fields): (rule.rawValue, fields)
        case .storeFailure: ("unavailable", [])
        }
        return DraftProblem(rule: rule, fields: fields, chinese: error.message(in: .chinese), english: error.message(in: .english))
    }
}
