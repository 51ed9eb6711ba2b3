import YimaCrypto

/// A 32-byte SHA-256 Merkle tree hash (RFC 9162 §2.1): a leaf hash, an interior
/// node hash or a tree head.
///
/// The bytes are stored inline (no heap allocation), so arrays of hashes are
/// flat and copying a hash is four word moves.
public struct TreeHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// SHA-256 output length.
    public static let byteCount = 32

    // The 32 bytes in order, in the memory of four words (not numbers: never
    // read as integers except for equality and hashing).
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64)

    /// All zero bytes; a placeholder, never a real hash.
    public static let zero = TreeHash(storage: (0, 0, 0, 0))

    @inlinable init(storage: (UInt64, UInt64, UInt64, UInt64)) { self.storage = storage }

    /// Copies exactly 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var value = TreeHash.zero
        withUnsafeMutableBytes(of: &value.storage) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        self = value
    }

    /// Copies the first 32 bytes of `raw`, which must hold at least 32.
    @inlinable init(copying raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= Self.byteCount)
        var value = TreeHash.zero
        withUnsafeMutableBytes(of: &value.storage) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<32])) }
        self = value
    }

    /// Parses 64 hex digits.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// Parses canonical standard base64 (RFC 4648 §4, §3.5: padded, unused bits zero)
    /// of exactly 32 bytes.
    public init?(base64: some StringProtocol) {
        guard let bytes = Base64.decode(base64) else { return nil }
        self.init(bytes: bytes)
    }

    /// Calls `body` with the 32 bytes, without copying them.
    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lowercase hex, 64 digits.
    public var hex: String { Hex.encode(bytes) }

    /// Standard padded base64 (RFC 4648 §4), as checkpoints and proofs carry it.
    public var base64: String { Base64.encode(bytes) }

    public var description: String { hex }

    public static func == (a: TreeHash, b: TreeHash) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1
            && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Byte-wise order, so sorted hashes read as sorted hex.
    public static func < (a: TreeHash, b: TreeHash) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.lexicographicallyPrecedes(y) } }
    }
}
