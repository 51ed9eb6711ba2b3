import YimaCodes
import YimaLedger
import YimaRecords

/// A bundle's `issuance` member (docs/bundle.md §Format): the unit's leaf index and
/// RFC 9162 audit path in the issued set of unit-issuance event `event`, whose
/// `units_root` and `count` (the tree's size) the signed event gives.
public struct IssuanceProof: Sendable, Equatable {
    public let event: RecordID
    public let leafIndex: Int64
    public let hashes: [TreeHash]

    public init(event: RecordID, leafIndex: Int64, hashes: [TreeHash]) {
        self.event = event
        self.leafIndex = leafIndex
        self.hashes = hashes
    }

    var json: JSONValue {
        .object(["event": .string(event.hex), "leaf_index": .integer(leafIndex), "proof": .array(hashes.map { .string($0.base64) })])
    }

    init(_ value: JSONValue) throws(VerificationFailure) {
        guard case .object(let fields) = value, fields.count == 3, case .string(let id)? = fields["event"], let event = RecordID(hex: id),
              case .integer(let index)? = fields["leaf_index"], index >= 0, case .array(let path)? = fields["proof"] else {
            throw VerificationFailure("bundle", .bundleIssuanceMembers)
        }
        var hashes: [TreeHash] = []
        for (position, node) in path.enumerated() {
            guard case .string(let text) = node, let hash = TreeHash(base64: text) else {
                throw VerificationFailure("bundle", .bundleIssuanceNode, ["position": position])
            }
            hashes.append(hash)
        }
        self.init(event: event, leafIndex: index, hashes: hashes)
    }
}

/// What a bundle shows about the unit's issuance (docs/bundle.md §Verification, check 10).
public enum IssuanceStatus: Sendable, Equatable {
    /// The code is leaf `index` of the `count` units that event commits to.
    case proven(event: RecordID, index: Int64, count: Int64)
    /// The batch's issuance events predate the commitment: nothing to prove against.
    case notCommitted
    /// The bundle carries no proof although the batch's `count` issuances all commit
    /// (a bundle from a server's lookup answer has none): the code is not shown to be
    /// one they issued.
    case notProven(issuances: Int)

    /// For a verifier that requires the proof (`yima verify --bundle --require-issuance`).
    public func requireProven() throws(VerificationFailure) {
        switch self {
        case .proven: return
        case .notCommitted: throw VerificationFailure("issuance", .bundleIssuanceUncommitted)
        case .notProven(let count): throw VerificationFailure("issuance", .bundleIssuanceMissing, ["count": count])
        }
    }
}

extension UnitBundle {
    /// Check `issuance`, after the chain checks have held (the events are then signed
    /// and in the log): the code's leaf — its serial and signature as printed — leads
    /// with the bundled path to the `units_root` of the named unit-issuance event.
    /// Without a proof the status says whether there was anything to prove against.
    public func verifyIssuance() throws(VerificationFailure) -> IssuanceStatus {
        let code: UnitCode
        do { code = try UnitCode.parse(evidence.code) } catch {
            throw VerificationFailure("code", "\(error)", zh: error.message(in: .chinese))
        }
        var issuances: [RecordID: UnitIssuance] = [:]
        for item in evidence.records {
            guard let envelope = try? Envelope(encoded: item.envelope), case .event(let event)? = try? Record(payload: envelope.payload),
                  case .unitIssuance(let issuance) = event.data,
                  event.batch.gtin.rawValue == code.gtin, event.batch.lot.rawValue == code.lot else { continue }
            issuances[envelope.recordID] = issuance
        }
        guard let issuance else {
            if issuances.isEmpty || issuances.values.contains(where: { $0.unitsRoot == nil }) { return .notCommitted }
            return .notProven(issuances: issuances.count)
        }
        guard let event = issuances[issuance.event], let root = event.unitsRoot.flatMap({ TreeHash(bytes: $0.bytes) }) else {
            throw VerificationFailure("issuance", .bundleIssuanceNoEvent, ["event": issuance.event.hex])
        }
        do {
            let leaf = try IssuanceCommitment.leafHash(serial: code.serial, signature: code.signature)
            try InclusionProof(leafIndex: issuance.leafIndex, treeSize: event.count, hashes: issuance.hashes).verify(leafHash: leaf, root: root)
        } catch {
            throw VerificationFailure("issuance", .bundleIssuanceNotProven, ["event": issuance.event.hex, "reason": "\(error)"])
        }
        return .proven(event: issuance.event, index: issuance.leafIndex, count: event.count)
    }
}

extension Transparency {
    /// The unit's proof of issuance from the units table, when its issuance event
    /// commits and the table agrees with the commitment (otherwise none: a bundle
    /// never carries a proof the table cannot back).
    func issuanceProof(of scanned: String, in history: BatchHistory) throws(ServiceError) -> IssuanceProof? {
        guard let code = try? UnitCode.parse(scanned), case .batch(let batch) = history.batch.record else { return nil }
        let events = history.events.compactMap { entry -> (id: RecordID, event: Event)? in
            guard case .event(let event) = entry.record else { return nil }
            return (entry.envelope.recordID, event)
        }
        guard let found = try IssuedSets(units: units).check(batch: batch.reference, events: events, proving: code.serial).proof else { return nil }
        return IssuanceProof(event: found.event, leafIndex: found.proof.leafIndex, hashes: found.proof.hashes)
    }
}
