/// A unit's hidden PIN (刮刮码): only a keyed hash is stored.
public struct StoredPin: Sendable, Hashable {
    public let gtin: String
    public let lot: String
    public let serial: String
    /// HMAC-SHA-256 of the PIN under the data folder's secret (32 bytes).
    public let hash: [UInt8]
    public let createdAt: Int64
    /// When the right PIN was first entered (Unix seconds); nil until then.
    public let firstVerifiedAt: Int64?

    public init(gtin: String, lot: String, serial: String, hash: [UInt8], createdAt: Int64, firstVerifiedAt: Int64? = nil) {
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.hash = hash
        self.createdAt = createdAt
        self.firstVerifiedAt = firstVerifiedAt
    }
}

/// Hidden PINs (刮刮码): only keyed hashes, and when each was first entered.
public protocol PinStore: Sendable {
    /// Stores PIN hashes in one transaction; a unit that already has a PIN, or that
    /// was never issued, fails the whole call.
    func storePins(_ pins: [StoredPin]) throws(StoreError)
    func pin(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredPin?
    /// Marks the unit's PIN as verified at `time` unless it already was; returns the
    /// first verification time.
    func markPinVerified(gtin: String, lot: String, serial: String, at time: Int64) throws(StoreError) -> Int64
}
