import YimaCodes
import YimaRecords

/// What a scanned unit code resolves to (docs/api.md §Lookup): the verdict, and for a
/// genuine code everything the page, the JSON answer and the linkset show.
public enum Resolution: Sendable {
    case genuine(GenuineUnit)
    /// No unit of this serial was issued in the batch, or the batch is unknown.
    case notIssued
    /// The unit exists, but the scanned signature is not the issued one.
    case forged
    /// Issued and signed as stored, but by a key revoked (or not valid) when the unit was issued.
    case keyNotValid(keyID: String, status: KeyStatus)
}

/// A genuine unit: its batch's history (the same value for every unit of the batch
/// until its head moves) and what differs per unit.
public struct GenuineUnit: Sendable {
    public let history: BatchHistory
    /// The issuing key and the party that holds it.
    public let keyID: String
    public let party: String
    /// The carton or pallet this unit was packed into, if any.
    public let container: String?
    /// The latest recall notice covering this unit, if any.
    public let recall: RecallNotice?
    /// What the store held of the unit's scans when it was resolved.
    public let storedScans: StoredScans
}

/// What the resolver learnt of a unit's stored scans, so that the scan recorder reads
/// the store only when it must.
public enum StoredScans: Sendable {
    /// Read with the unit (the caller asked for it).
    case read(ScanSummary)
    /// The unit index says the store held no scans of the unit when it was read;
    /// scans written since by the recorder are the recorder's to know.
    case noneWhenIndexed
    /// Not read.
    case unknown
}

/// The verdict on a code judged against its issued unit.
public enum UnitVerdict: Sendable, Equatable {
    case genuine(keyID: String, party: String)
    case notIssued
    case forged
    /// Issued and signed as stored, but by a key that was revoked, rotated out or
    /// outside its party's registration when the unit was issued.
    case keyNotValid(keyID: String, party: String, status: KeyStatus)
}

/// What the resolver reports for logs and metrics; the server counts and logs these.
public protocol ResolverObserver: Sendable {
    /// A lookup was judged by a batch's in-memory unit index.
    func resolvedFromIndex()
    /// A lookup reused the batch history built for the current head.
    func batchHistoryReused()
    /// A lookup built a batch history (the head moved, or the batch is new to the cache).
    func batchHistoryBuilt()
    func unitIndexLoaded(batch: String, units: Int, containers: Int, milliseconds: Int64, heldUnits: Int)
    func unitIndexDeclined(batch: String, units: Int)
    func unitIndexFailed(batch: String, error: any Error)
}

/// Reports nothing.
public struct SilentResolverObserver: ResolverObserver {
    public init() {}
    public func resolvedFromIndex() {}
    public func batchHistoryReused() {}
    public func batchHistoryBuilt() {}
    public func unitIndexLoaded(batch: String, units: Int, containers: Int, milliseconds: Int64, heldUnits: Int) {}
    public func unitIndexDeclined(batch: String, units: Int) {}
    public func unitIndexFailed(batch: String, error: any Error) {}
}
