/// The counts the regulator's report adds up (docs/report.md).
public struct ActivityCounts: Sendable, Equatable {
    public var codesIssued: Int64 = 0
    public var scans: Int64 = 0
    public var copyWarnings: Int64 = 0
    public var pinVerifications: Int64 = 0
    public var recalls: Int64 = 0
    public var certificates: Int64 = 0
    /// Buyers' receipts of certificates (`certificate_receipt` notices).
    public var certificateReceipts: Int64 = 0

    public init() {}

    public mutating func add(_ other: ActivityCounts) {
        codesIssued += other.codesIssued
        scans += other.scans
        copyWarnings += other.copyWarnings
        pinVerifications += other.pinVerifications
        recalls += other.recalls
        certificates += other.certificates
        certificateReceipts += other.certificateReceipts
    }

    /// In the report's column order.
    public var values: [Int64] { [codesIssued, scans, copyWarnings, pinVerifications, recalls, certificates, certificateReceipts] }
}

/// What happened to one batch in a period: counts read from the units, scans, PINs
/// and notices tables.
public struct BatchActivity: Sendable, Equatable {
    public let batchKey: String
    public let gtin: String
    public let owner: String
    public var counts = ActivityCounts()

    public init(batchKey: String, gtin: String, owner: String) {
        self.batchKey = batchKey
        self.gtin = gtin
        self.owner = owner
    }
}

/// Scans on one calendar day.
public struct DailyScans: Sendable, Equatable {
    public let day: String
    public let scans: Int64

    public init(day: String, scans: Int64) {
        self.day = day
        self.scans = scans
    }
}

/// What the regulator's report reads: per-batch activity and scans per day.
public protocol ActivityStore: Sendable {
    /// Per batch, what happened between Unix times `from` and `until` (inclusive):
    /// codes issued, scans and copy warnings (units last scanned then), first PIN
    /// verifications, recalls and certificates stored.
    func activity(from: Int64, until: Int64, copyWarningClients: Int) throws(StoreError) -> [BatchActivity]
    /// Scans per calendar day (at `utcOffsetSeconds`), each device's scans of a unit
    /// counted on the day it first scanned it (the store keeps per-device totals).
    func dailyScans(from: Int64, until: Int64, utcOffsetSeconds: Int) throws(StoreError) -> [DailyScans]
}
