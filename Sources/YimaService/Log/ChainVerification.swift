import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords

/// Verifies a unit's evidence as a regulator or a consumer's app would, trusting
/// only the log key and the authority keys (docs/bundle.md §Verification). The
/// checks run in this order and the first that fails is named:
///
/// 1. `checkpoint`: the checkpoint is signed by the log key;
/// 2. `record`: every envelope and record parses;
/// 3. `party-signature`: every party registration is signed by an authority key;
/// 4. `signature`: every other record is signed by a key of a registered party;
/// 5. `chain`: one product and one batch, of the code's GTIN and lot, and events
///    whose `prev` links each to the record before it;
/// 6. `inclusion`: every record is in the log at its index (RFC 9162 §2.1.3);
/// 7. `code-signature`: the code is signed by a key of the batch's owner;
/// 8. `rules`: every event passes the records rules, replayed in order (unit
///    states, which are not records, are not replayed).
public enum ChainVerification {
    public struct Summary: Sendable {
        public let checkpoint: Checkpoint
        public let records: Int
        public let events: Int
        public let issuer: String
    }

    /// `proof(leafIndex, treeSize)` gives the inclusion proof of a leaf in the
    /// checkpoint's tree (from tiles, or from a bundle).
    public static func verify(_ evidence: ChainEvidence, logKey: NoteVerifier, authorities: [PublicKey],
                              now: Instant = .now(),
                              proof: (Int64, Int64) throws -> InclusionProof) throws -> Summary {
        let checkpoint = try LogAudit.verifiedCheckpoint(evidence.checkpoint, key: logKey)
        var decoded: [(EvidenceRecord, Envelope, Record)] = []
        for item in evidence.records.sorted(by: { $0.logIndex < $1.logIndex }) {
            do {
                let envelope = try Envelope(encoded: item.envelope)
                decoded.append((item, envelope, try Record(payload: envelope.payload)))
            } catch {
                throw VerificationFailure("record", "record \(item.logIndex) is malformed: \(error)", zh: "第 \(item.logIndex) 条记录格式错误：\(error)")
            }
        }

        var parties: [KeyID: Party] = [:]
        for (item, envelope, record) in decoded where Record.isSignedByAuthority(record.kind) {
            guard let key = authorities.first(where: { $0.id == envelope.keyID }) else {
                throw VerificationFailure("party-signature", "record \(item.logIndex) (a party or key record) is signed by key \(envelope.keyID), not a trusted authority key",
                                          zh: "第 \(item.logIndex) 条主体或密钥记录不是由受信任的监管部门密钥签名")
            }
            try check(envelope, with: key, item, "party-signature")
            if case .party(let party) = record { for key in party.publicKeys { parties[key.id] = party } }
        }
        var signers: [Int64: Party] = [:]
        for (item, envelope, record) in decoded where !Record.isSignedByAuthority(record.kind) {
            guard let party = parties[envelope.keyID], let key = party.publicKey(envelope.keyID) else {
                throw VerificationFailure("signature", "record \(item.logIndex) is signed by key \(envelope.keyID), which no registered party holds",
                                          zh: "第 \(item.logIndex) 条记录的签名密钥 \(envelope.keyID) 不属于任何已登记主体")
            }
            try check(envelope, with: key, item, "signature")
            signers[item.logIndex] = party
        }

        let code: UnitCode
        do { code = try UnitCode.parse(evidence.code) } catch {
            throw VerificationFailure("code", "\(error)", zh: error.message(in: .chinese))
        }
        let (product, batch, batchID, events) = try chain(decoded, code: code)

        for (item, _, _) in decoded {
            guard item.logIndex < checkpoint.treeSize else {
                throw VerificationFailure("inclusion", "record \(item.logIndex) is not covered by the checkpoint of \(checkpoint.treeSize) records",
                                          zh: "第 \(item.logIndex) 条记录不在检查点（\(checkpoint.treeSize) 条）范围内")
            }
            do {
                try proof(item.logIndex, checkpoint.treeSize).verify(leafHash: MerkleHash.leaf(item.envelope), root: checkpoint.rootHash)
            } catch {
                throw VerificationFailure("inclusion", "record \(item.logIndex) is not in the log the checkpoint signs: \(error)",
                                          zh: "第 \(item.logIndex) 条记录不在已签名的日志中：\(error)")
            }
        }

        let owners = decoded.compactMap { entry -> Party? in
            if case .party(let party) = entry.2, party.id == batch.owner { party } else { nil }
        }
        let message = { (key: PublicKey) in UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial) }
        guard let owner = owners.first,
              owner.publicKeys.contains(where: { $0.id.short == code.keyHint && $0.key.isValidSignature(code.signature, for: message($0.key)) }) else {
            throw VerificationFailure("code-signature", "the code is not signed by a key of the batch's owner \(batch.owner)",
                                      zh: "此码不是由批次所有者 \(batch.owner) 的密钥签发")
        }

        var prior: [RecordedEvent] = []
        for (item, id, event) in events {
            let context = RuleContext(batch: batch, batchRecordID: batchID, product: product, priorEvents: prior,
                                      actor: signers[item.logIndex]!, now: now)
            let unitRules: Set<RuleViolation.Rule> = [.unitNotIssued, .packedTwice]
            if let violation = Rules.violations(of: event, in: context).first(where: { !unitRules.contains($0.rule) }) {
                throw VerificationFailure("rules", "record \(item.logIndex): [\(violation.rule.rawValue)] \(violation.message(in: .english))",
                                          zh: "第 \(item.logIndex) 条记录：[\(violation.rule.rawValue)] \(violation.message(in: .chinese))")
            }
            prior.append(RecordedEvent(id: id, event: event))
        }
        return Summary(checkpoint: checkpoint, records: decoded.count, events: events.count, issuer: owner.name)
    }

    private static func check(_ envelope: Envelope, with key: PublicKey, _ item: EvidenceRecord, _ name: String) throws {
        do { try envelope.requireValid(with: key) } catch {
            throw VerificationFailure(name, "record \(item.logIndex): \(error.message(in: .english))",
                                      zh: "第 \(item.logIndex) 条记录：\(error.message(in: .chinese))")
        }
    }

    /// The product, the batch, and the batch's events in log order, with their
    /// links checked.
    private static func chain(_ decoded: [(EvidenceRecord, Envelope, Record)], code: UnitCode) throws
        -> (Product, Batch, RecordID, [(EvidenceRecord, RecordID, Event)]) {
        var products: [Product] = [], batches: [(Batch, RecordID)] = [], events: [(EvidenceRecord, RecordID, Event)] = []
        for (item, envelope, record) in decoded {
            switch record {
            case .product(let product): products.append(product)
            case .batch(let batch): batches.append((batch, envelope.recordID))
            case .event(let event): events.append((item, envelope.recordID, event))
            case .party, .key: break
            }
        }
        guard products.count == 1, batches.count == 1, let product = products.first, let (batch, batchID) = batches.first,
              product.gtin.rawValue == code.gtin, batch.gtin.rawValue == code.gtin, batch.lot.rawValue == code.lot else {
            throw VerificationFailure("chain", "the evidence needs exactly one product and one batch, of GTIN \(code.gtin) lot \(code.lot)",
                                      zh: "证据须恰有一个商品和一个批次，且与码的 GTIN \(code.gtin)、批号 \(code.lot) 一致")
        }
        var previous = batchID
        for (item, id, event) in events {
            guard event.batch.gtin == batch.gtin, event.batch.lot == batch.lot else {
                throw VerificationFailure("chain", "record \(item.logIndex) belongs to batch \(event.batch.key)",
                                          zh: "第 \(item.logIndex) 条记录属于另一批次 \(event.batch.key)")
            }
            guard event.previous == previous else {
                throw VerificationFailure("chain", "record \(item.logIndex): prev \(event.previous) is not the record before it, \(previous)",
                                          zh: "第 \(item.logIndex) 条记录的 prev 不是前一条记录：哈希链断开")
            }
            previous = id
        }
        return (product, batch, batchID, events)
    }
}
