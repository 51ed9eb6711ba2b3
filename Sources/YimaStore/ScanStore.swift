/// One scan of a unit code, as the lookup server counts it. `client` is a keyed hash
/// of the client's address (16 bytes), never the address itself.
public struct ScanObservation: Sendable, Hashable {
    public let gtin: String
    public let lot: String
    public let serial: String
    public let client: [UInt8]
    /// Unix seconds.
    public let time: Int64

    public init(gtin: String, lot: String, serial: String, client: [UInt8], time: Int64) {
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.client = client
        self.time = time
    }
}

/// What is known about a unit's scans.
public struct ScanSummary: Sendable, Hashable {
    public var count: Int64
    /// How many different clients (by keyed address hash) scanned the unit.
    public var distinctClients: Int64
    /// Unix seconds of the first and latest scan; nil before any scan.
    public var firstScan: Int64?
    public var lastScan: Int64?
    /// Up to the requested number of the clients' hashes (for telling repeat scans
    /// from new clients without another read).
    public var clients: [[UInt8]]

    public init(count: Int64 = 0, distinctClients: Int64 = 0, firstScan: Int64? = nil, lastScan: Int64? = nil,
                clients: [[UInt8]] = []) {
        self.count = count
        self.distinctClients = distinctClients
        self.firstScan = firstScan
        self.lastScan = lastScan
        self.clients = clients
    }
}

/// Scan counting: operational state of the lookup server, kept beside the signed
/// records but outside the append-only log (a scan is an observation, not a signed fact).
public protocol ScanStore: Sendable {
    /// Adds scans in ONE transaction: counts, first and latest time, distinct clients.
    func recordScans(_ scans: [ScanObservation]) throws(StoreError)
    /// The unit's scan summary with up to `clientLimit` client hashes.
    func scanSummary(gtin: String, lot: String, serial: String, clientLimit: Int) throws(StoreError) -> ScanSummary
    /// `UnitStore.lookupUnit` and, if `scanClientLimit` is given and the unit exists,
    /// its scan summary, in one trip to the store: the resolver's read per scan.
    /// The parts need not come from one snapshot (a unit row never changes).
    func lookupUnit(gtin: String, lot: String, serial: String, scanClientLimit: Int?) throws(StoreError) -> UnitLookup
}
