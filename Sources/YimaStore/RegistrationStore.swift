/// A producer's request to be registered as a party (docs/api.md §Registration
/// requests): kept as received, signed by the key it asks to register, until the
/// county authority approves or rejects it. It registers nothing by itself.
public struct StoredRegistration: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, approved, rejected
    }

    /// SHA-256 of the request's payload, 64 lowercase hex digits.
    public let id: String
    public let partyID: String
    public let name: String
    public let creditCode: String
    public let keyID: String
    /// The signed request exactly as received (its envelope).
    public let envelope: [UInt8]
    /// Unix seconds.
    public let receivedAt: Int64
    public var status: Status
    public var decidedAt: Int64?
    /// Why it was rejected.
    public var reason: String?
    /// The approved party record's id (64 hex).
    public var record: String?

    public init(id: String, partyID: String, name: String, creditCode: String, keyID: String, envelope: [UInt8],
                receivedAt: Int64, status: Status = .pending, decidedAt: Int64? = nil, reason: String? = nil, record: String? = nil) {
        self.id = id
        self.partyID = partyID
        self.name = name
        self.creditCode = creditCode
        self.keyID = keyID
        self.envelope = envelope
        self.receivedAt = receivedAt
        self.status = status
        self.decidedAt = decidedAt
        self.reason = reason
        self.record = record
    }

    /// The members two pending requests may not share (`StoreError.pendingRegistration`).
    public enum Conflict: String, Sendable {
        case creditCode = "credit_code", partyID = "id", keyID = "kid"
    }
}

/// Registration requests waiting for the county authority.
public protocol RegistrationStore: Sendable {
    /// Stores a pending request in one transaction. Throws `pendingRegistration` when a
    /// pending request already has its credit code, party id or key, and
    /// `registrationQueueFull` when `maximumPending` requests are pending.
    func addRegistration(_ registration: StoredRegistration, maximumPending: Int) throws(StoreError)
    func registration(id: String) throws(StoreError) -> StoredRegistration?
    /// Requests in `status`, oldest first.
    func registrations(status: StoredRegistration.Status) throws(StoreError) -> [StoredRegistration]
    /// Marks a pending request approved (with the party record's id) or rejected (with
    /// the reason). Throws `registrationNotPending` if it is not pending (or unknown).
    func decideRegistration(id: String, status: StoredRegistration.Status, at time: Int64,
                            reason: String?, record: String?) throws(StoreError)
}

/// The nonces of signed requests (docs/api.md §Signed requests: time and nonce), kept
/// long enough that a replay within the freshness window is always recognised.
public protocol RequestNonceStore: Sendable {
    /// Records `nonce` for `keyID` until `expiresAt` (Unix seconds), after deleting
    /// nonces that expired before `now`. Returns false, recording nothing, when the
    /// pair is already recorded: the request is a replay.
    func useNonce(keyID: String, nonce: String, now: Int64, expiresAt: Int64) throws(StoreError) -> Bool
}
