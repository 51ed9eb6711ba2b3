/// The counts the regulator's report adds up (docs/report.md).
public struct ActivityCounts: Sendable, Equatable {
    public var codesIssued: Int64 = 0
    public var scans: Int64 = 0
    public var copyWarnings: Int64 = 0
    public var pinVerifications: Int64 = 0
    public var recalls: Int64 = 0
    public var certificates: Int64 = 0

    public init() {}

    public mutating func add(_ other: ActivityCounts) {
        codesIssued += other.codesIssued
        scans += other.scans
        copyWarnings += other.copyWarnings
        pinVerifications += other.pinVerifications
        recalls += other.recalls
        certificates += other.certificates
    }

    /// In the report's column order.
    public var values: [Int64] { [codesIssued, scans, copyWarnings, pinVerifications, recalls, certificates] }
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
