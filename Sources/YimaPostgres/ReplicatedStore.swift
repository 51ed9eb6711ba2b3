import Foundation
import PostgresNIO
import Synchronization
import YimaLedger
import YimaStore

/// A primary for writes and a hot standby for reads (`yima serve --read-database`,
/// issue 13 §5), with read-your-writes: after this process writes, its reads go to
/// the primary until the standby has replayed past that write's WAL position
/// (`pg_last_wal_replay_lsn()`), so a record posted through a server shows in that
/// server's next lookup at once. Other servers' writes show once the standby has them.
///
/// A standby that cannot be reached is not an outage: reads fall back to the primary.
public final class ReplicatedStore: TraceStore, ReplicaStatus, @unchecked Sendable {
    public let primary: PostgresStore
    public let replica: PostgresStore

    private struct Positions {
        /// The primary's WAL position after this process's latest write.
        var written: Int64 = 0
        /// The latest position the replica was seen to have replayed.
        var replayed: Int64 = 0
    }
    /// Shared with `writer`, so that the write side's writes hold the lookups' reads.
    private final class Tracking: Sendable {
        let positions = Mutex(Positions())
        let readsOnPrimary = Atomic<Int64>(0)
    }
    private let tracking: Tracking
    /// False for `writer`: every read on the primary.
    private let readsReplica: Bool

    public init(primary: DatabaseURL, replica: DatabaseURL, connections limit: Int = 8) throws(StoreError) {
        self.primary = try PostgresStore(url: primary, connections: limit)
        // The standby's schema is the primary's (it replays the migrations): it is only read.
        self.replica = try PostgresStore(url: replica, connections: limit, migrating: false)
        tracking = Tracking()
        readsReplica = true
    }

    private init(sibling: ReplicatedStore) {
        primary = sibling.primary
        replica = sibling.replica
        tracking = sibling.tracking
        readsReplica = false
    }

    public var writer: any TraceStore { ReplicatedStore(sibling: self) }

    public convenience init(primary: String, replica: String, connections limit: Int = 8) throws(StoreError) {
        try self.init(primary: DatabaseURL(primary), replica: DatabaseURL(replica), connections: limit)
    }

    // MARK: Routing

    /// Runs a write on the primary and remembers how far the primary's WAL reached:
    /// the insert position, which covers the commit record even with asynchronous
    /// commit (the write position may not yet).
    private func writing<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        let value = try body()
        if let position = try? primary.read({ session in
            try session.rows("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint").first?.decode(Int64.self)
        }) ?? nil {
            tracking.positions.withLock { $0.written = max($0.written, position) }
        }
        return value
    }

    /// The store a read goes to: the replica once it has replayed this process's writes.
    private func reader() -> PostgresStore {
        guard readsReplica else { return primary }
        let (written, replayed) = tracking.positions.withLock { ($0.written, $0.replayed) }
        if written <= replayed { return replica }
        guard let now = try? replayedPosition(), now >= written else {
            tracking.readsOnPrimary.add(1, ordering: .relaxed)
            return primary
        }
        return replica
    }

    private func replayedPosition() throws(StoreError) -> Int64 {
        let position = try replica.read { session in
            try session.rows("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint").first?.decode(Int64?.self) ?? nil
        }
        // A replica that is no standby (promoted, or the primary itself) has all it will ever have.
        let replayed = position ?? Int64.max
        tracking.positions.withLock { $0.replayed = max($0.replayed, replayed) }
        return replayed
    }

    /// A read on the replica (or the primary, see `reader()`); on the primary if the replica is unreachable.
    fileprivate func reading<T>(_ body: (PostgresStore) throws(StoreError) -> T) throws(StoreError) -> T {
        let store = reader()
        do throws(StoreError) {
            return try body(store)
        } catch .unavailable(_) where store === replica {
            tracking.readsOnPrimary.add(1, ordering: .relaxed)
            return try body(primary)
        }
    }

    public func replicaLag() throws(StoreError) -> ReplicaLag {
        let current = try primary.read { session in
            try session.rows("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint").first?.decode(Int64.self) ?? 0
        }
        let (replayed, seconds) = try replica.read { session in
            let row = try session.rows("""
                SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint,
                       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8 END
                """).first
            return try row?.decode((Int64?, Double).self) ?? (nil, 0)
        }
        return ReplicaLag(bytes: max(0, current - (replayed ?? current)), seconds: seconds,
                          readsOnPrimary: tracking.readsOnPrimary.load(ordering: .relaxed))
    }

    // MARK: RecordStore

    public func append(_ record: NewRecord, expectedHead: [UInt8]?) throws(StoreError) -> StoredRecord {
        try writing { () throws(StoreError) in try primary.append(record, expectedHead: expectedHead) }
    }

    public func appendAll(_ records: [(record: NewRecord, expectedHead: [UInt8]?)]) throws(StoreError) -> [StoredRecord] {
        try writing { () throws(StoreError) in try primary.appendAll(records) }
    }

    public func record(id: [UInt8]) throws(StoreError) -> StoredRecord? { try reading { s throws(StoreError) in try s.record(id: id) } }
    public func records(batchKey: String) throws(StoreError) -> [StoredRecord] {
        try reading { s throws(StoreError) in try s.records(batchKey: batchKey) }
    }
    public func records(batchKey: String, after sequence: Int64) throws(StoreError) -> [StoredRecord] {
        try reading { s throws(StoreError) in try s.records(batchKey: batchKey, after: sequence) }
    }
    public func records(kind: RecordKind) throws(StoreError) -> [StoredRecord] { try reading { s throws(StoreError) in try s.records(kind: kind) } }
    public func recordCount() throws(StoreError) -> Int64 { try reading { s throws(StoreError) in try s.recordCount() } }
    public func partyRecord(forKey keyID: String) throws(StoreError) -> StoredRecord? {
        try reading { s throws(StoreError) in try s.partyRecord(forKey: keyID) }
    }
    public func partyRecord(id: String) throws(StoreError) -> StoredRecord? { try reading { s throws(StoreError) in try s.partyRecord(id: id) } }
    public func productRecord(gtin: String) throws(StoreError) -> StoredRecord? {
        try reading { s throws(StoreError) in try s.productRecord(gtin: gtin) }
    }
    public func batch(key: String) throws(StoreError) -> BatchState? { try reading { s throws(StoreError) in try s.batch(key: key) } }
    public func batches(owner: String) throws(StoreError) -> [BatchState] { try reading { s throws(StoreError) in try s.batches(owner: owner) } }
    public func registryVersion() throws(StoreError) -> Int64 { try reading { s throws(StoreError) in try s.registryVersion() } }
    public func notices(type: String) throws(StoreError) -> [StoredRecord] { try reading { s throws(StoreError) in try s.notices(type: type) } }

    // MARK: UnitStore

    public func issueUnits(_ record: NewRecord, expectedHead: [UInt8]?,
                           produce: () throws -> [StoredUnit]) throws -> (record: StoredRecord, units: Int) {
        try writing { try primary.issueUnits(record, expectedHead: expectedHead, produce: produce) }
    }
    public func issueUnits(batchKey: String, expectedHead: [UInt8]?, produce: () throws -> [StoredUnit],
                           record: () throws -> NewRecord) throws -> (record: StoredRecord, units: Int) {
        try writing { try primary.issueUnits(batchKey: batchKey, expectedHead: expectedHead, produce: produce, record: record) }
    }

    public func unit(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredUnit? {
        try reading { s throws(StoreError) in try s.unit(gtin: gtin, lot: lot, serial: serial) }
    }
    public func lookupUnit(gtin: String, lot: String, serial: String) throws(StoreError) -> UnitLookup {
        try reading { s throws(StoreError) in try s.lookupUnit(gtin: gtin, lot: lot, serial: serial) }
    }
    public func serials(gtin: String, lot: String) throws(StoreError) -> [String] {
        try reading { s throws(StoreError) in try s.serials(gtin: gtin, lot: lot) }
    }
    public func units(gtin: String, lot: String, after serial: String?, limit: Int) throws(StoreError) -> [StoredUnit] {
        try reading { s throws(StoreError) in try s.units(gtin: gtin, lot: lot, after: serial, limit: limit) }
    }
    public func units(serial: String) throws(StoreError) -> [StoredUnit] { try reading { s throws(StoreError) in try s.units(serial: serial) } }
    public func forEachIssuedUnit(gtin: String, lot: String, _ body: (IssuedUnitRow) -> Void) throws(StoreError) {
        try reading { s throws(StoreError) in try s.forEachIssuedUnit(gtin: gtin, lot: lot, body) }
    }
    public func container(of child: String) throws(StoreError) -> String? { try reading { s throws(StoreError) in try s.container(of: child) } }
    public func contents(of parent: String) throws(StoreError) -> [String] { try reading { s throws(StoreError) in try s.contents(of: parent) } }
    public func containers(gtin: String, lot: String) throws(StoreError) -> [String: String] {
        try reading { s throws(StoreError) in try s.containers(gtin: gtin, lot: lot) }
    }

    // MARK: ScanStore, PinStore, ActivityStore

    /// Scans are counted on the primary without holding reads there: a server adds
    /// its own counts to the summary it read once, so a standby a moment behind
    /// loses nothing, and a stream of scans must not pin every lookup to the primary.
    public func recordScans(_ scans: [ScanObservation]) throws(StoreError) { try primary.recordScans(scans) }
    public func scanSummary(gtin: String, lot: String, serial: String, clientLimit: Int) throws(StoreError) -> ScanSummary {
        try reading { s throws(StoreError) in try s.scanSummary(gtin: gtin, lot: lot, serial: serial, clientLimit: clientLimit) }
    }
    public func lookupUnit(gtin: String, lot: String, serial: String, scanClientLimit: Int?) throws(StoreError) -> UnitLookup {
        try reading { s throws(StoreError) in try s.lookupUnit(gtin: gtin, lot: lot, serial: serial, scanClientLimit: scanClientLimit) }
    }

    public func storePins(_ pins: [StoredPin]) throws(StoreError) {
        try writing { () throws(StoreError) in try primary.storePins(pins) }
    }
    public func pin(gtin: String, lot: String, serial: String) throws(StoreError) -> StoredPin? {
        try reading { s throws(StoreError) in try s.pin(gtin: gtin, lot: lot, serial: serial) }
    }
    public func markPinVerified(gtin: String, lot: String, serial: String, at time: Int64) throws(StoreError) -> Int64 {
        try primary.markPinVerified(gtin: gtin, lot: lot, serial: serial, at: time)
    }

    public func activity(from: Int64, until: Int64, copyWarningClients: Int) throws(StoreError) -> [BatchActivity] {
        try reading { s throws(StoreError) in try s.activity(from: from, until: until, copyWarningClients: copyWarningClients) }
    }
    public func dailyScans(from: Int64, until: Int64, utcOffsetSeconds: Int) throws(StoreError) -> [DailyScans] {
        try reading { s throws(StoreError) in try s.dailyScans(from: from, until: until, utcOffsetSeconds: utcOffsetSeconds) }
    }

    // MARK: TransparencyLog

    public func treeSize() throws(StoreError) -> Int64 { try reading { s throws(StoreError) in try s.treeSize() } }
    public func treeHash(size: Int64) throws(StoreError) -> TreeHash { try reading { s throws(StoreError) in try s.treeHash(size: size) } }
    public func inclusionProof(leaf: Int64, treeSize: Int64) throws(StoreError) -> InclusionProof {
        try reading { s throws(StoreError) in try s.inclusionProof(leaf: leaf, treeSize: treeSize) }
    }
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws(StoreError) -> ConsistencyProof {
        try reading { s throws(StoreError) in try s.consistencyProof(oldSize: oldSize, newSize: newSize) }
    }
    public func logHashes(_ indexes: [Int64]) throws(StoreError) -> [TreeHash] { try reading { s throws(StoreError) in try s.logHashes(indexes) } }
    public func entries(_ range: Range<Int64>) throws(StoreError) -> [[UInt8]] { try reading { s throws(StoreError) in try s.entries(range) } }
}

// MARK: AliasStore, UploadStore, RegistrationStore, RequestNonceStore

extension ReplicatedStore {
    /// Aliases are records' consequences: read like records, from the standby once it has them.
    public func alias(code: String) throws(StoreError) -> AliasTarget? { try reading { s throws(StoreError) in try s.alias(code: code) } }
    public func aliases(batchKey: String) throws(StoreError) -> [AliasTarget] {
        try reading { s throws(StoreError) in try s.aliases(batchKey: batchKey) }
    }

    // Upload positions, registration requests and request nonces are operational state
    // that a decision is taken on (send this batch, refuse this replay): always the primary's.
    public func uploadPosition(receiver: String) throws(StoreError) -> UploadPosition { try primary.uploadPosition(receiver: receiver) }
    public func uploadPositions() throws(StoreError) -> [UploadPosition] { try primary.uploadPositions() }
    public func beginUpload(receiver: String, batch: PendingUpload) throws(StoreError) {
        try primary.beginUpload(receiver: receiver, batch: batch)
    }
    public func acceptUpload(receiver: String, key: String, at time: Int64) throws(StoreError) {
        try primary.acceptUpload(receiver: receiver, key: key, at: time)
    }
    public func noteUploadFailure(receiver: String, message: String, at time: Int64) throws(StoreError) {
        try primary.noteUploadFailure(receiver: receiver, message: message, at: time)
    }

    public func addRegistration(_ registration: StoredRegistration, maximumPending: Int) throws(StoreError) {
        try primary.addRegistration(registration, maximumPending: maximumPending)
    }
    public func registration(id: String) throws(StoreError) -> StoredRegistration? { try primary.registration(id: id) }
    public func registrations(status: StoredRegistration.Status) throws(StoreError) -> [StoredRegistration] {
        try primary.registrations(status: status)
    }
    public func decideRegistration(id: String, status: StoredRegistration.Status, at time: Int64,
                                   reason: String?, record: String?) throws(StoreError) {
        try primary.decideRegistration(id: id, status: status, at: time, reason: reason, record: record)
    }

    public func useNonce(keyID: String, nonce: String, now: Int64, expiresAt: Int64) throws(StoreError) -> Bool {
        try primary.useNonce(keyID: keyID, nonce: nonce, now: now, expiresAt: expiresAt)
    }
}
