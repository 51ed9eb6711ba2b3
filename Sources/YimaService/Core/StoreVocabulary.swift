import YimaStore

// The stored forms that use cases hand to the CLI and the server. Only these value
// types cross the service boundary: the store's protocols and its engines do not
// (the server and the CLI import neither YimaStore nor GRDB).

/// A signed record as stored, with its log position.
public typealias StoredRecord = YimaStore.StoredRecord
/// A batch's chain head and counts.
public typealias BatchState = YimaStore.BatchState
/// What the lookup server counts about a unit's scans.
public typealias ScanSummary = YimaStore.ScanSummary
/// One counted scan.
public typealias ScanObservation = YimaStore.ScanObservation
/// Why the store refused or failed.
public typealias StoreError = YimaStore.StoreError
/// The regulator report's per-day scans.
public typealias DailyScans = YimaStore.DailyScans
/// The regulator report's counts.
public typealias ActivityCounts = YimaStore.ActivityCounts
/// A producer's registration request and its state (docs/api.md §Registration requests).
public typealias StoredRegistration = YimaStore.StoredRegistration
