import YimaStore

/// Scan counting's access to the store: the lookup server's scan recorder writes
/// batches of scans here and reads a unit's summary the first time it sees the unit.
public struct ScanCounting: Sendable {
    let scans: any ScanStore

    /// Adds scans in one transaction.
    public func record(_ observations: [ScanObservation]) throws(ServiceError) {
        do { try scans.recordScans(observations) } catch { throw .store(error) }
    }

    /// The unit's stored summary with up to `clientLimit` client hashes.
    public func summary(gtin: String, lot: String, serial: String, clientLimit: Int) throws(ServiceError) -> ScanSummary {
        do { return try scans.scanSummary(gtin: gtin, lot: lot, serial: serial, clientLimit: clientLimit) } catch { throw .store(error) }
    }
}
