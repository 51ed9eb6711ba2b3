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

    public init(evidence: ChainEvidence, proofs: [Int64: InclusionProof], logKey: String?, authorityKeys: [PublicKey]) {
        self.evidence = evidence
        self.proofs = proofs
        self.logKey = logKey
        self.authorityKeys = authorityKeys
    }

    /// The proof of `leaf` in the tree of `treeSize` leaves, as bundled.
    public func proof(leaf: Int64, treeSize: Int64) throws -> InclusionProof {
        guard let proof = proofs[leaf], proof.treeSize == treeSize else {
            throw VerificationFailure("inclusion", "the bundle has no inclusion proof of record \(leaf) in the tree of \(treeSize)",
                                      zh: "文件中没有第 \(leaf) 条记录的包含证明")
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
        return CanonicalJSON.encode(.object(object)) + [0x0A]
    }

    public init(decoding bytes: [UInt8]) throws(VerificationFailure) {
        func bad(_ en: String, _ zh: String) -> VerificationFailure { VerificationFailure("bundle", en, zh: zh) }
        guard case .object(let members)? = try? CanonicalJSON.parse(bytes) else {
            throw bad("not a JSON bundle", "不是 JSON 格式的证据文件")
        }
        guard case .string(Self.format)? = members["format"] else { throw bad("not a \(Self.format) file", "不是 \(Self.format) 文件") }
        guard case .string(let code)? = members["code"], case .string(let note)? = members["checkpoint"],
              case .array(let items)? = members["records"] else {
            throw bad("code, checkpoint or records missing", "缺少 code、checkpoint 或 records")
        }
        let treeSize: Int64
        do { treeSize = try Checkpoint(text: SignedNote(parsing: note).text).treeSize } catch {
            throw VerificationFailure("checkpoint", "the bundled checkpoint is malformed: \(error)", zh: "文件中的检查点格式错误：\(error)")
        }
        var records: [EvidenceRecord] = []
        var proofs: [Int64: InclusionProof] = [:]
        for item in items {
            guard case .object(let fields) = item, case .integer(let index)? = fields["log_index"],
                  let envelope = fields["envelope"], case .object = envelope, case .array(let path)? = fields["proof"] else {
                throw bad("a record lacks log_index, envelope or proof", "记录缺少 log_index、envelope 或 proof")
            }
            var hashes: [TreeHash] = []
            for (position, value) in path.enumerated() {
                guard case .string(let text) = value, let hash = TreeHash(base64: text) else {
                    throw bad("record \(index): proof node \(position) is not a base64 32-byte hash",
                              "第 \(index) 条记录的证明节点 \(position) 不是 32 字节哈希")
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
                    throw bad("an authority key is not a base64 SubjectPublicKeyInfo", "监管部门公钥格式错误")
                }
                keys.append(key)
            }
        }
        var logKey: String?
        if case .string(let key)? = members["log_key"] { logKey = key }
        self.init(evidence: ChainEvidence(code: code, checkpoint: note, records: records), proofs: proofs,
                  logKey: logKey, authorityKeys: keys)
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
            throw .input("the log's checkpoint is malformed: \(error)", zh: "日志检查点格式错误")
        }
        var proofs: [Int64: InclusionProof] = [:]
        for record in stored {
            proofs[record.sequence] = try ServiceError.reading { try log.inclusionProof(leaf: record.sequence, treeSize: size) }
        }
        let evidence = stored.map { EvidenceRecord(logIndex: $0.sequence, envelope: $0.envelope) }
        return UnitBundle(evidence: ChainEvidence(code: scanned, checkpoint: note, records: evidence), proofs: proofs,
                          logKey: publisher.verifier.verifierKey, authorityKeys: authorities)
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
            throw VerificationFailure("checkpoint", "the server's checkpoint is malformed: \(error)", zh: "服务器的检查点格式错误：\(error)")
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
