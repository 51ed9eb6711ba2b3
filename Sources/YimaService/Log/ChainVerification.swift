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
/// 3. `party-signature`: every party and key record is signed by an authority key;
///    they build the key registry (parties, rotations, revocations);
/// 4. `signature`: every other record is signed by a key of a registered party;
/// 5. `key-status`: each such key was valid when it signed (an event at its signed
///    time; other records at an unknown time, where only a revocation counts);
/// 6. `chain`: one product and one batch, of the code's GTIN and lot, and events
///    whose `prev` links each to the record before it;
/// 7. `inclusion`: every record is in the log at its index (RFC 9162 §2.1.3);
/// 8. `code-signature`: the code is signed by a key of the batch's owner;
/// 9. `rules`: every event passes the records rules, replayed in order (unit
///    states, which are not records, are not replayed).
///
/// The same checks serve `yima chain --verify` over a store's chain (with the store's
/// registry, and without a checkpoint), `yima verify --online` and `--bundle`.
public enum ChainVerification {
    public struct Summary: Sendable {
        public let checkpoint: Checkpoint
        public let records: Int
        public let events: Int
        public let issuer: String
        /// The newest signed event `time` among the records: a lower bound on how
        /// recent the evidence is (a checkpoint carries no time, docs/bundle.md).
        public let newestEvent: Timestamp?
    }

    /// One record as the checks see it: its log position, envelope and record, and
    /// when it was signed if that is known.
    public struct Entry: Sendable {
        public let logIndex: Int64
        public let envelope: Envelope
        public let record: Record
        /// An event's signed time, or when a store accepted the record; nil when unknown.
        public let signedAt: Instant?
    }

    /// Where the checks learn which key belongs to which party.
    public enum Keys: Sendable {
        /// From the evidence's own party and key records, each signed by one of these authority keys.
        case evidence(authorities: [PublicKey])
        /// A registry the verifier already trusts (a store's).
        case registry(KeyRegistry)
    }

    /// Verifies a unit's evidence; throws the first check that fails.
    ///
    /// `proof(leafIndex, treeSize)` gives the inclusion proof of a leaf in the
    /// checkpoint's tree (from tiles, or from a bundle).
    public static func verify(_ evidence: ChainEvidence, logKey: NoteVerifier, authorities: [PublicKey],
                              now: Instant = .now(),
                              proof: @escaping (Int64, Int64) throws -> InclusionProof) throws -> Summary {
        let checkpoint = try LogAudit.verifiedCheckpoint(evidence.checkpoint, key: logKey)
        var entries: [Entry] = []
        for item in evidence.records.sorted(by: { $0.logIndex < $1.logIndex }) {
            do {
                let envelope = try Envelope(encoded: item.envelope)
                let record = try Record(payload: envelope.payload)
                var signedAt: Instant?
                if case .event(let event) = record { signedAt = event.time.instant }
                entries.append(Entry(logIndex: item.logIndex, envelope: envelope, record: record, signedAt: signedAt))
            } catch {
                throw VerificationFailure("record", .recordMalformed, ["index": item.logIndex, "reason": error])
            }
        }
        let code: UnitCode
        do { code = try UnitCode.parse(evidence.code) } catch {
            throw VerificationFailure("code", "\(error)", zh: error.message(in: .chinese))
        }
        let inclusion: (Entry) -> ChainFailure? = { entry in
            let leaf = evidence.records.first { $0.logIndex == entry.logIndex }!.envelope
            guard entry.logIndex < checkpoint.treeSize else {
                return ChainFailure(.inclusion, entry, .recordNotCovered, ["index": entry.logIndex, "size": checkpoint.treeSize])
            }
            do {
                try proof(entry.logIndex, checkpoint.treeSize).verify(leafHash: MerkleHash.leaf(leaf), root: checkpoint.rootHash)
                return nil
            } catch {
                return ChainFailure(.inclusion, entry, .recordNotInLog, ["index": entry.logIndex, "reason": error])
            }
        }
        let result = check(entries, code: code, keys: .evidence(authorities: authorities), now: now, inclusion: inclusion)
        if let first = result.failures.first { throw first.verificationFailure }
        return Summary(checkpoint: checkpoint, records: entries.count,
                       events: entries.filter { if case .event = $0.record { true } else { false } }.count,
                       issuer: result.issuer ?? "",
                       newestEvent: entries.compactMap { if case .event(let event) = $0.record { event.time } else { nil } }.max())
    }

    /// Every failure of the record checks (2 to 9 above, `inclusion` when given), in
    /// check order, and the name of the party that issued the code when it holds.
    public static func check(_ entries: [Entry], code: UnitCode, keys: Keys, now: Instant = .now(),
                             checks: Set<ChainCheck> = Set(ChainCheck.allCases),
                             inclusion: ((Entry) -> ChainFailure?)? = nil) -> (failures: [ChainFailure], issuer: String?) {
        var failures: [ChainFailure] = []
        var registry: KeyRegistry
        switch keys {
        case .registry(let known): registry = known
        case .evidence(let authorities):
            registry = KeyRegistry()
            for entry in entries where Record.isSignedByAuthority(entry.record.kind) {
                guard let key = authorities.first(where: { $0.id == entry.envelope.keyID }) else {
                    failures.append(ChainFailure(.partySignature, entry, .partyRecordNotByAuthority,
                                                 ["index": entry.logIndex, "key": entry.envelope.keyID]))
                    continue
                }
                if let failure = signatureFailure(entry, key: key, .partySignature) { failures.append(failure); continue }
                do { try registry.apply(entry.record) } catch {
                    failures.append(ChainFailure(.partySignature, entry) {
                        ServiceMessage.recordProblem.text(in: $0, ["index": entry.logIndex, "reason": $0 == .chinese ? error.zh : error.en])
                    })
                }
            }
        }
        var signers: [Int64: Party] = [:]
        for entry in entries where !Record.isSignedByAuthority(entry.record.kind) {
            let keyID = entry.envelope.keyID
            guard let key = registry.keys[keyID]?.key.key, let party = registry.party(forKey: keyID) else {
                failures.append(ChainFailure(.signature, entry, .recordSignerUnknown, ["index": entry.logIndex, "key": keyID]))
                continue
            }
            if let failure = signatureFailure(entry, key: key, .signature) { failures.append(failure); continue }
            signers[entry.logIndex] = party
            let status = registry.status(of: keyID, signedAt: entry.signedAt)
            if checks.contains(.keyStatus), !status.isValid {
                failures.append(ChainFailure(.keyStatus, entry) {
                    ServiceMessage.recordProblem.text(in: $0, ["index": entry.logIndex, "reason": status.message(keyID: keyID.hex, in: $0)])
                })
            }
        }

        guard let linked = chain(entries, code: code, into: &failures) else { return (kept(failures, checks), nil) }
        let (product, batch, batchID, events) = linked
        if let inclusion { failures += entries.compactMap(inclusion) }

        let message = { (key: PublicKey) in UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial) }
        let ownerKeys = registry.keys.values.filter { $0.party == batch.owner }.map(\.key.key)
        let owner = registry.parties[batch.owner]?.party
        if !ownerKeys.contains(where: { $0.id.short == code.keyHint && $0.isValidSignature(code.signature, for: message($0)) }) {
            failures.append(ChainFailure(.codeSignature, nil, .codeNotByOwner, ["owner": batch.owner]))
        }

        if checks.contains(.rules) {
            var prior: [RecordedEvent] = []
            for (entry, event) in events {
                guard let actor = signers[entry.logIndex] else { continue }
                let context = RuleContext(batch: batch, batchRecordID: batchID, product: product, priorEvents: prior, actor: actor, now: now)
                let unitRules: Set<RuleViolation.Rule> = [.unitNotIssued, .packedTwice]
                if let violation = Rules.violations(of: event, in: context).first(where: { !unitRules.contains($0.rule) }) {
                    failures.append(ChainFailure(.rules, entry) {
                        ServiceMessage.recordProblem.text(in: $0, ["index": entry.logIndex,
                                                                   "reason": "[\(violation.rule.rawValue)] \(violation.message(in: $0))"])
                    })
                }
                prior.append(RecordedEvent(id: entry.envelope.recordID, event: event))
            }
        }
        let found = kept(failures, checks)
        return (found, found.isEmpty ? owner?.name : nil)
    }

    /// The failures of the checks asked for, in check order, in record order within a check.
    private static func kept(_ failures: [ChainFailure], _ checks: Set<ChainCheck>) -> [ChainFailure] {
        failures.enumerated().filter { checks.contains($0.element.check) }
            .sorted { ($0.element.check.order, $0.offset) < ($1.element.check.order, $1.offset) }.map(\.element)
    }

    private static func signatureFailure(_ entry: Entry, key: PublicKey, _ check: ChainCheck) -> ChainFailure? {
        do { try entry.envelope.requireValid(with: key) } catch {
            return ChainFailure(check, entry) { ServiceMessage.recordProblem.text(in: $0, ["index": entry.logIndex, "reason": error.message(in: $0)]) }
        }
        return nil
    }

    /// The product, the batch, and the batch's events in log order, with their
    /// links checked; nil (with the failure) when there is no single product and batch of the code.
    private static func chain(_ entries: [Entry], code: UnitCode, into failures: inout [ChainFailure])
        -> (Product, Batch, RecordID, [(Entry, Event)])? {
        var products: [Product] = [], batches: [(Batch, RecordID)] = [], events: [(Entry, Event)] = []
        for entry in entries {
            switch entry.record {
            case .product(let product): products.append(product)
            case .batch(let batch): batches.append((batch, entry.envelope.recordID))
            case .event(let event): events.append((entry, event))
            case .party, .key: break
            }
        }
        guard products.count == 1, batches.count == 1, let product = products.first, let (batch, batchID) = batches.first,
              product.gtin.rawValue == code.gtin, batch.gtin.rawValue == code.gtin, batch.lot.rawValue == code.lot else {
            failures.append(ChainFailure(.chain, nil, .evidenceNeedsOneBatch, ["gtin": code.gtin, "lot": code.lot]))
            return nil
        }
        var previous = batchID
        for (entry, event) in events {
            if event.batch.gtin != batch.gtin || event.batch.lot != batch.lot {
                failures.append(ChainFailure(.chain, entry, .recordOtherBatch, ["index": entry.logIndex, "batch": event.batch.key]))
            } else if event.previous != previous {
                failures.append(ChainFailure(.chain, entry, .recordBrokenLink,
                                             ["index": entry.logIndex, "prev": event.previous, "previous": previous]))
            }
            previous = entry.envelope.recordID
        }
        return (product, batch, batchID, events)
    }
}
