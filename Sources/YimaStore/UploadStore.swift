/// Where upward reporting stands for one receiver (docs/upload.md): the log position
/// through which the receiver has accepted records, the batch in flight, and the
/// latest failure. Operational state beside the signed records, like scan counts.
public struct UploadPosition: Sendable, Hashable {
    /// The receiver's URL, as configured: one position per receiver.
    public let receiver: String
    /// The last log position the receiver accepted (-1: nothing yet).
    public var acceptedThrough: Int64
    /// A batch sent (or about to be) whose answer is not yet known: after a crash it
    /// is sent again, the same records under the same idempotency key.
    public var pending: PendingUpload?
    /// The latest failure (a status, a refusal, a network error), cleared by an acceptance.
    public var lastError: String?
    /// Unix seconds of `lastError`.
    public var lastErrorAt: Int64?
    /// Unix seconds of the latest acceptance.
    public var lastAcceptedAt: Int64?

    public init(receiver: String, acceptedThrough: Int64 = -1, pending: PendingUpload? = nil, lastError: String? = nil,
                lastErrorAt: Int64? = nil, lastAcceptedAt: Int64? = nil) {
        self.receiver = receiver
        self.acceptedThrough = acceptedThrough
        self.pending = pending
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.lastAcceptedAt = lastAcceptedAt
    }
}

/// A batch of log positions `first...last` in flight under `key`, in `format`.
public struct PendingUpload: Sendable, Hashable {
    public let first: Int64
    public let last: Int64
    public let key: String
    public let format: String

    public init(first: Int64, last: Int64, key: String, format: String) {
        self.first = first
        self.last = last
        self.key = key
        self.format = format
    }
}

/// Upward reporting's position per receiver. Each call is one transaction; the
/// position only moves forward.
public protocol UploadStore: Sendable {
    /// The receiver's position (a fresh one, nothing accepted, if never recorded).
    func uploadPosition(receiver: String) throws(StoreError) -> UploadPosition
    /// Every receiver with a recorded position, by URL.
    func uploadPositions() throws(StoreError) -> [UploadPosition]
    /// Records `batch` as in flight before it is sent. Refused (`uploadConflict`)
    /// if another batch is pending or `batch.first` is not the position after the
    /// accepted one: two uploaders to one receiver cannot interleave.
    func beginUpload(receiver: String, batch: PendingUpload) throws(StoreError)
    /// The receiver accepted the pending batch `key`: the position moves to its
    /// last record and the pending batch and last error are cleared. Refused
    /// (`uploadConflict`) if `key` is not the pending batch.
    func acceptUpload(receiver: String, key: String, at time: Int64) throws(StoreError)
    /// Notes a failure; the pending batch stays, to be sent again.
    func noteUploadFailure(receiver: String, message: String, at time: Int64) throws(StoreError)
}
