/// What happened to one batch in a period, for the regulator's report: counts read
/// from the units, scans, PINs and notices tables (docs/report.md).
public struct BatchActivity: Sendable, Equatable {
    public let batchKey: String
    public let gtin: String
    public let owner: String
    public var codesIssued: Int64 = 0
    public var scans: Int64 = 0
    public var copyWarnings: Int64 = 0
    public var pinVerifications: Int64 = 0
    public var recalls: Int64 = 0
    public var certificates: Int64 = 0

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
