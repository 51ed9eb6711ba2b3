import YimaCrypto

/// A record's identity: SHA-256 (FIPS 180-4) of its canonical payload bytes,
/// written as 64 lowercase hex digits. The signature is not hashed, so the id is
/// the same whichever key signed the content (and Ed25519 being deterministic, the
/// same key always gives the same envelope anyway).
public struct RecordID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let byteCount = 32
    public let bytes: [UInt8]

    /// The id of `payload`, which should be canonical JSON.
    public init(payload: some Collection<UInt8>) {
        bytes = Digest.sha256(payload)
    }

    /// Parses 64 lowercase hex digits; nil for anything else (uppercase included,
    /// so an id has one spelling).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == Self.byteCount * 2,
              hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
              let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
    public static func < (a: RecordID, b: RecordID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
