import YimaCodes
import YimaLedger
import YimaRecords
import YimaStore
import YimaText

/// Why a stored record is not what the log and its signer committed to: the
/// database was altered behind the service's back (docs/checkpoint.md §Tampering).
public struct IntegrityFailure: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The stored envelope does not hash to the log's leaf (RFC 9162 §2.1.1).
        case leafMismatch = "leaf-mismatch"
        /// The envelope's signature does not verify with its signer's registered key.
        case badSignature = "bad-signature"
        /// An event's `prev` is not the id of the record before it.
        case brokenLink = "broken-link"
    }

    public let logIndex: Int64
    public let kind: Kind
    /// The technical detail (hashes, the verifier's reason), in English.
    public let detail: String

    public func message(in language: Language) -> String {
        let message: ServiceMessage = switch kind {
        case .leafMismatch: .integrityLeafMismatch
        case .badSignature: .integrityBadSignature
        case .brokenLink: .integrityBrokenLink
        }
        return message.text(in: language, ["index": logIndex, "detail": detail])
    }
}

extension RecordReader {
    /// Decodes stored records and checks each, once, as it is loaded: its envelope
    /// bytes must hash to the log's leaf for its position, and its signature must
    /// verify with its signer's registered key (or an authority key).
    func checkedRecords(_ stored: [StoredRecord]) throws -> [DecodedRecord] {
        guard !stored.isEmpty else { return [] }
        let leaves = try log.logHashes(stored.map { StoredHashes.index(level: 0, index: $0.sequence) })
        return try stored.enumerated().map { offset, record in
            var decoded = try RecordCache.decode(record)
            decoded.integrity = integrityFailure(of: decoded, leaf: leaves[offset])
            return decoded
        }
    }

    private func integrityFailure(of decoded: DecodedRecord, leaf: TreeHash) -> IntegrityFailure? {
        let index = decoded.stored.sequence
        let computed = MerkleHash.leaf(decoded.stored.envelope)
        if computed != leaf {
            return IntegrityFailure(logIndex: index, kind: .leafMismatch,
                                    detail: "stored envelope hashes to \(computed.hex), the log's leaf is \(leaf.hex)")
        }
        let keyID = decoded.envelope.keyID
        guard let key = registry.signerKey(of: decoded.envelope, kind: decoded.record.kind) else {
            return IntegrityFailure(logIndex: index, kind: .badSignature, detail: "signer key \(keyID) is not registered")
        }
        if case .invalid(let error) = decoded.envelope.verify(with: key) {
            return IntegrityFailure(logIndex: index, kind: .badSignature, detail: "\(error)")
        }
        return nil
    }

    /// The load-time failures of a chain's records, and its broken links.
    static func integrityFailures(product: DecodedRecord?, history: [DecodedRecord]) -> [IntegrityFailure] {
        var failures = ((product.map { [$0] } ?? []) + history).compactMap(\.integrity)
        var previous = history.first?.envelope.recordID
        for decoded in history.dropFirst() {
            if case .event(let event) = decoded.record, event.previous != previous {
                failures.append(IntegrityFailure(logIndex: decoded.stored.sequence, kind: .brokenLink,
                                                 detail: "prev \(event.previous) is not the previous record \(previous.map { "\($0)" } ?? "-")"))
            }
            previous = decoded.envelope.recordID
        }
        return failures.sorted { $0.logIndex < $1.logIndex }
    }
}
