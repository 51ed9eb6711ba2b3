import YimaCrypto

/// The issued-set commitment of a unit issuance (docs/issuance-commitment.md):
/// an RFC 9162 Merkle tree over one leaf per issued unit,
/// `len(serial) ‖ ASCII(serial) ‖ signature`, the leaves ordered by serial
/// (ascending ASCII bytes). `units_root` in a unit-issuance event is its root.
public enum IssuanceCommitment {
    /// A code signature is 64 bytes for every algorithm (docs/code-format.md §The s parameter).
    public static let signatureByteCount = 64
    public static let maximumSerialLength = 20

    /// Why a set of units has no commitment (§1, §2).
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case serialShape(String)
        case signatureLength(serial: String, byteCount: Int)
        /// Serials must come strictly ascending: a repeat, or out of order.
        case notAscending(previous: String, serial: String)
        case empty

        public var description: String {
            switch self {
            case .serialShape(let serial): "serial \"\(serial)\" is not 1–20 characters of A–Z 0–9 -"
            case .signatureLength(let serial, let count): "the signature of \(serial) has \(count) bytes, not 64"
            case .notAscending(let previous, let serial): "serial \(serial) does not follow \(previous) in ascending order (or repeats it)"
            case .empty: "no units"
            }
        }
    }

    /// `SHA-256(0x00 ‖ len(serial) ‖ serial ‖ signature)` (§1).
    public static func leafHash(serial: String, signature: some Collection<UInt8>) throws(Problem) -> TreeHash {
        let bytes = Array(serial.utf8)
        guard (1...maximumSerialLength).contains(bytes.count), bytes.allSatisfy(isSerialByte) else { throw .serialShape(serial) }
        guard signature.count == signatureByteCount else { throw .signatureLength(serial: serial, byteCount: signature.count) }
        return MerkleHash.leaf([UInt8(bytes.count)] + bytes + signature)
    }

    static func isSerialByte(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D
    }

    /// The commitment order: ascending ASCII bytes (§2).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Builds a root incrementally from units given in commitment order, in
    /// O(log n) memory (a compact range): what issuance and the auditor use.
    public struct Builder: Sendable {
        private var range = CompactRange()
        private var last: String?

        public init() {}

        public var count: Int64 { range.size }

        public mutating func append(serial: String, signature: some Collection<UInt8>) throws(Problem) {
            if let last, !IssuanceCommitment.precedes(last, serial) { throw .notAscending(previous: last, serial: serial) }
            range.append(leafHash: try IssuanceCommitment.leafHash(serial: serial, signature: signature))
            last = serial
        }

        /// The root of the units appended so far; a set needs at least one unit.
        public func root() throws(Problem) -> TreeHash {
            guard range.size > 0 else { throw .empty }
            return range.root
        }
    }

    /// The root of a set of units in any order (sorted here): for tests and small sets.
    public static func root(of units: [(serial: String, signature: [UInt8])]) throws(Problem) -> TreeHash {
        var builder = Builder()
        for unit in units.sorted(by: { precedes($0.serial, $1.serial) }) {
            try builder.append(serial: unit.serial, signature: unit.signature)
        }
        return try builder.root()
    }

    /// The inclusion proof of leaf `index` among `leafHashes` (in commitment order):
    /// RFC 9162 §2.1.3.1 `PATH(m, D[n])`, computed from the leaf hashes in O(n).
    public static func inclusionProof(leafIndex index: Int, leafHashes: [TreeHash]) -> InclusionProof {
        precondition(leafHashes.indices.contains(index))
        var path: [TreeHash] = []
        leafHashes.withUnsafeBufferPointer { hashes in
            var range = hashes.indices
            var siblings: [TreeHash] = []
            // Walk down from the root, collecting the sibling subtree at each split (top first).
            while range.count > 1 {
                let split = range.lowerBound + Int(largestPowerOfTwo(lessThan: Int64(range.count)))
                if index < split {
                    siblings.append(MerkleHash.treeHash(leafHashes: hashes[split..<range.upperBound]))
                    range = range.lowerBound..<split
                } else {
                    siblings.append(MerkleHash.treeHash(leafHashes: hashes[range.lowerBound..<split]))
                    range = split..<range.upperBound
                }
            }
            path = siblings.reversed()
        }
        return InclusionProof(leafIndex: Int64(index), treeSize: Int64(leafHashes.count), hashes: path)
    }
}
