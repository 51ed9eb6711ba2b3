import Foundation
import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords
import YimaStore

/// A unit's evidence in one file, checkable with no network (docs/bundle.md):
/// the code, a signed checkpoint, every record with its inclusion proof in the
/// checkpoint's tree, and, for convenience, the keys a verifier needs (which a
/// verifier pins itself: keys inside a bundle prove nothing about who made it).
public struct UnitBundle: Sendable {
    public static let format = "yima-bundle/1"

    public let evidence: ChainEvidence
    /// Inclusion proofs by leaf index, in the checkpoint's tree.
    public let proofs: [Int64: InclusionProof]
    /// The log's verifier key, as the bundle's maker knew it.
    public let logKey: String?
    public let authorityKeys: [PublicKey]
    /// The unit's proof of issuance: its leaf in the issued set its unit-issuance event
    /// commits to (docs/issuance-commitment.md); nil when the maker had none.
    public let issuance: IssuanceProof?

    public init(evidence: ChainEvidence, proofs: [Int64: InclusionProof], logKey: String?, authorityKeys: [PublicKey],
                issuance: IssuanceProof? = nil) {
        self.evidence = evidence
        self.proofs = proofs
        self.logKey = logKey
        self.authorityKeys = authorityKeys
        self.issuance = issuance
    }

    /// The proof of `leaf` in the tree of `treeSize` leaves, as bundled.
    public func proof(leaf: Int64, treeSize: Int64) throws -> InclusionProof {
        guard let proof = proofs[leaf], proof.treeSize == treeSize else {
            throw VerificationFailure("inclusion", .bundleNoProof, ["index": leaf, "size": treeSize])
        }
        return proof
    }

    /// Canonical JSON, ending in a newline (docs/bundle.md §Format).
    public var encoded: [UInt8] {
        var object: [String: JSONValue] = [
            "format": .string(Self.format), "code": .string(evidence.code), "checkpoint": .string(evidence.checkpoint),
            "authority_keys": .array(authorityKeys.map { .string(Base64.encode($0.subjectPublicKeyInfo)) }),
            "records": .array(evidence.records.map { record in
                .object([
                    "log_index": .integer(record.logIndex),
                    "envelope": (try? CanonicalJSON.decode(record.envelope)) ?? .object([:]),
                    "proof": .array((proofs[record.logIndex]?.hashes ?? []).map { .string($0.base64) }),
                ])
            }),
        ]
        if let logKey { object["log_key"] = .string(logKey) }
        if let issuance { object["issuance"] = issuance.json }
        return CanonicalJSON.encode(.object(object)) + [0x0A]
    }

    public init(decoding bytes: [UInt8]) throws(VerificationFailure) {
        func bad(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> VerificationFailure {
            VerificationFailure("bundle", message, arguments)
        }
        guard case .object(let members)? = try? CanonicalJSON.parse(bytes) else {
            throw bad(.bundleNotJSON)
        }
        guard case .string(Self.format)? = members["format"] else { throw bad(.bundleWrongFormat, ["format": Self.format]) }
        guard case .string(let code)? = members["code"], case .string(let note)? = members["checkpoint"],
              case .array(let items)? = members["records"] else {
            throw bad(.bundleMissingMembers)
        }
        let treeSize: Int64
        do { treeSize = try Checkpoint(text: SignedNote(parsing: note).text).treeSize } catch {
            throw VerificationFailure("checkpoint", .bundleCheckpointMalformed, ["reason": error])
        }
        var records: [EvidenceRecord] = []
        var proofs: [Int64: InclusionProof] = [:]
        for item in items {
            guard case .object(let fields) = item, case .integer(let index)? = fields["log_index"],
                  let envelope = fields["envelope"], case .object = envelope, case .array(let path)? = fields["proof"] else {
                throw bad(.bundleRecordMembers)
            }
            var hashes: [TreeHash] = []
            for (position, value) in path.enumerated() {
                guard case .string(let text) = value, let hash = TreeHash(base64: text) else {
                    throw bad(.bundleProofNode, ["index": index, "position": position])
                }
                hashes.append(hash)
            }
            records.append(EvidenceRecord(logIndex: index, envelope: CanonicalJSON.encode(envelope)))
            proofs[index] = InclusionProof(leafIndex: index, treeSize: treeSize, hashes: hashes)
        }
        var keys: [PublicKey] = []
        if case .array(let list)? = members["authority_keys"] {
            for value in list {
                guard case .string(let text) = value, let der = Base64.decode(text), let key = try? PublicKey(subjectPublicKeyInfo: der) else {
                    throw bad(.bundleAuthorityKey)
                }
                keys.append(key)
            }
        }
        var logKey: String?
        if case .string(let key)? = members["log_key"] { logKey = key }
        let issuance = try members["issuance"].map { value throws(VerificationFailure) in try IssuanceProof(value) }
        self.init(evidence: ChainEvidence(code: code, checkpoint: note, records: records), proofs: proofs,
                  logKey: logKey, authorityKeys: keys, issuance: issuance)
    }
}

extension Transparency {
    /// The bundle of a unit from this store: its chain, the parties who signed it
    /// and own the batch with every key record (rotation, revocation) of those
    /// parties, the latest checkpoint (signed now if the log grew) and every record's
    /// inclusion proof. With the key records a verifier knows a rotated-in key and
    /// sees a revocation (docs/bundle.md §Format).
    public func bundle(for scanned: String, publisher: LogPublisher) throws(ServiceError) -> UnitBundle {
        let history = try resolver.chain(for: scanned, fresh: true).history
        var stored = ([history.product, history.batch] + history.events).compactMap { $0?.stored }
        if case .batch(let batch) = history.batch.record,
           let owner = try ServiceError.reading({ try records.partyRecord(id: batch.owner.rawValue) }) {
            stored.append(owner)
        }
        for keyID in Set(stored.map(\.signerKeyID)) {
            if let party = try ServiceError.reading({ try records.partyRecord(forKey: keyID) }), !stored.contains(party) { stored.append(party) }
        }
        var parties = Set<String>()
        for record in stored where record.kind == .party {
            if case .party(let party) = try RecordReader.decode(record).record { parties.insert(party.id.rawValue) }
        }
        for record in try ServiceError.reading({ try records.records(kind: .key) }) {
            if case .key(let change) = try RecordReader.decode(record).record, parties.contains(change.party.rawValue) { stored.append(record) }
        }
        let note = try publisher.checkpoint(of: self)
        let size: Int64
        do { size = try Checkpoint(text: SignedNote(parsing: note).text).treeSize } catch {
            throw .input(.logCheckpointMalformed, ["reason": error])
        }
        var proofs: [Int64: InclusionProof] = [:]
        for record in stored {
            proofs[record.sequence] = try ServiceError.reading { try log.inclusionProof(leaf: record.sequence, treeSize: size) }
        }
        let evidence = stored.map { EvidenceRecord(logIndex: $0.sequence, envelope: $0.envelope) }
        return UnitBundle(evidence: ChainEvidence(code: scanned, checkpoint: note, records: evidence), proofs: proofs,
                          logKey: publisher.verifier.verifierKey, authorityKeys: authorities,
                          issuance: try issuanceProof(of: scanned, in: history))
    }
}

/// A unit's evidence as a lookup server serves it: the JSON chain (GET the code's
/// URL with `Accept: application/json`), the checkpoint, and inclusion proofs
/// computed from the log's tiles.
public struct RemoteEvidence {
    public let evidence: ChainEvidence
    public let tiles: TileHashReader

    /// The server a code resolves at: its scheme and host.
    public static func resolver(of scanned: String) throws(ServiceError) -> String {
        do { return try UnitCode.parse(scanned).stem } catch { throw .code(error) }
    }

    public static func fetch(_ scanned: String, from fetcher: some LogFetcher) throws -> RemoteEvidence {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch { throw ServiceError.code(error) }
        let note = String(decoding: try fetcher.get("checkpoint", accept: "text/plain"), as: UTF8.self)
        let json = try fetcher.get(String((code.path + "?s=" + code.signatureParameterValue).dropFirst()), accept: "application/json")
        let size: Int64
        do { size = try Checkpoint(text: SignedNote(parsing: note).text).treeSize } catch {
            throw VerificationFailure("checkpoint", .serverCheckpointMalformed, ["reason": error])
        }
        let evidence = try ChainEvidence(code: scanned, checkpoint: note, lookupJSON: json)
        return RemoteEvidence(evidence: evidence, tiles: TileHashReader(treeSize: size) { tile in try fetcher.get(tile.path, accept: nil) })
    }

    public func proof(leaf: Int64, treeSize: Int64) throws -> InclusionProof {
        try InclusionProof.generate(leafIndex: leaf, treeSize: treeSize, reader: tiles)
    }

    /// The evidence with its proofs, as a bundle.
    public func bundle(logKey: String?, authorityKeys: [PublicKey]) throws -> UnitBundle {
        var proofs: [Int64: InclusionProof] = [:]
        for record in evidence.records { proofs[record.logIndex] = try proof(leaf: record.logIndex, treeSize: tiles.treeSize) }
        return UnitBundle(evidence: evidence, proofs: proofs, logKey: logKey, authorityKeys: authorityKeys)
    }
}
