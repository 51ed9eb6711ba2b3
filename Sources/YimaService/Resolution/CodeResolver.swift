import Synchronization
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Resolution (docs/architecture.md §Lookup path): a scanned unit code to its verdict
/// and what its page and JSON show, in one call per lookup.
///
/// What can be is cached: batch states (for up to `Options.batchStateMaxAge`),
/// each batch's history (per head) and each batch's issued units (`UnitIndex`, per
/// unit count). A lookup of an indexed batch reads nothing from the store; until the
/// index is loaded, one indexed read of the unit's row. No lookup verifies a
/// signature: every unit row was signed by this service at issuance, and the
/// signature is in every answer for clients and auditors to verify themselves.
public final class CodeResolver: Sendable {
    public struct Options: Sendable {
        /// Batch histories kept (least recently used dropped).
        public var cachedBatches = 1024
        /// Genuine units remembered with their verdict.
        public var cachedUnits = 100_000
        /// Most units held in unit indexes across batches; 0 reads the store on every lookup.
        public var indexedUnits = 20_000_000
        /// How long a batch's state (head, counts) is reused; zero reads it every lookup.
        public var batchStateMaxAge: Duration = .zero
        /// How stale the key registry may be on the lookup path.
        public var registryMaxAge: Duration = .seconds(1)
        public var observer: any ResolverObserver = SilentResolverObserver()

        public init() {}
    }

    struct UnitKey: Hashable, Sendable {
        let gtin: String
        let lot: String
        let serial: String
        let signature: [UInt8]

        /// The signature is compared, not hashed: the serial already tells units apart,
        /// and hashing 64 bytes one by one showed in profiles.
        func hash(into hasher: inout Hasher) {
            hasher.combine(serial)
            hasher.combine(lot)
            hasher.combine(gtin)
        }
    }

    /// A genuine unit's verdict as judged at a batch head and registry version.
    struct KnownUnit: Sendable {
        let headID: [UInt8]
        let registryVersion: Int64
        let keyID: String
        let party: String
        let container: String?
    }

    let records: any RecordStore
    let units: any UnitStore
    let scans: any ScanStore
    let reader: RecordReader
    let registry: Registry
    let options: Options
    let states: BatchStateCache
    let indexes: UnitIndexes
    let knownUnits: LRUCache<UnitKey, KnownUnit>
    let histories: LRUCache<String, BatchHistory>
    /// Batches by product, for product pages.
    let productBatches: ProductBatchIndex

    init(records: any RecordStore, units: any UnitStore, scans: any ScanStore, reader: RecordReader, registry: Registry,
         options: Options) {
        self.records = records
        self.units = units
        self.scans = scans
        self.reader = reader
        self.registry = registry
        self.options = options
        states = BatchStateCache(maxAge: options.batchStateMaxAge)
        indexes = UnitIndexes(units: units, capacity: options.indexedUnits, observer: options.observer)
        knownUnits = LRUCache(capacity: options.cachedUnits)
        histories = LRUCache(capacity: options.cachedBatches)
        productBatches = ProductBatchIndex(maxAge: options.batchStateMaxAge)
    }

    /// Resolves a parsed code. With `scanClients`, the unit's stored scan summary with
    /// up to that many client hashes comes with the answer when the store is read
    /// anyway. `scanGeneration` is the scan recorder's (`UnitIndexes.entry`): an index
    /// read before it moved does not know which units have stored scans.
    public func resolve(_ code: UnitCode, scanClients: Int? = nil, scanGeneration: Int = 0) throws(ServiceError) -> Resolution {
        let batchKey = code.batchKey.description
        guard let state = try states.state(key: batchKey, read: { () throws(ServiceError) in
            try ServiceError.reading { try records.batch(key: batchKey) }
        }) else { return .notIssued }
        if let entry = indexes.entry(for: state, generation: scanGeneration) {
            return try resolve(code, state: state, index: entry)
        }
        let key = UnitKey(gtin: code.gtin, lot: code.lot, serial: code.serial, signature: code.signature)
        // A unit seen before needs only its batch's head: the unit row never changes,
        // and its verdict and container hold until the head moves (packing is an
        // event on the batch) or the key registry changes.
        if scanClients == nil, let known = knownUnits.get(key), known.headID == state.headID,
           try registry.keyRegistry(maxAge: options.registryMaxAge).version == known.registryVersion {
            return .genuine(try genuine(known, state: state, serial: code.serial, storedScans: .unknown))
        }
        // Else one trip to the store gives the unit row, the batch head, the container
        // and (on a unit's first scan since start) its scan summary.
        let found = try ServiceError.reading {
            try scans.lookupUnit(gtin: code.gtin, lot: code.lot, serial: code.serial, scanClientLimit: scanClients)
        }
        guard let current = found.batch else { return .notIssued }
        states.remember(current, key: batchKey)
        guard let unit = found.unit else { return .notIssued }
        guard unit.signature == code.signature else { return .forged }
        return try judge(code, signedBy: unit.keyID, issuedAt: unit.issuedAt, state: current, container: found.container,
                         storedScans: found.scans.map(StoredScans.read) ?? .unknown) { known in
            // Only genuine codes are remembered: a code not (yet) issued may be issued
            // later, and made-up signatures must not crowd real codes out of the cache
            // (refusing them costs one indexed read, no signature check).
            knownUnits.set(key, known)
        }
    }

    /// A lookup answered by the batch's unit index.
    private func resolve(_ code: UnitCode, state: BatchState, index: UnitIndexes.Entry) throws(ServiceError) -> Resolution {
        options.observer.resolvedFromIndex()
        let issuance: UnitIndex.Issuance, storedScans: Bool
        switch index.units.match(serial: code.serial, signature: code.signature) {
        case .notIssued: return .notIssued
        case .signatureDiffers: return .forged
        case .issued(let found, let scanned): (issuance, storedScans) = (found, scanned)
        }
        return try judge(code, signedBy: issuance.keyID, issuedAt: issuance.issuedAt, state: state,
                         container: index.containers[code.serial], storedScans: storedScans ? .unknown : .noneWhenIndexed)
    }

    /// The resolution of a code that carries its unit's issued signature, made with
    /// `keyID` at `issuedAt`: judged by the key registry as it stands (`verdict`).
    private func judge(_ code: UnitCode, signedBy keyID: String, issuedAt: Int64, state: BatchState, container: String?,
                       storedScans: StoredScans, remember: (KnownUnit) -> Void = { _ in }) throws(ServiceError) -> Resolution {
        let (keys, version) = try registry.keyRegistry(maxAge: options.registryMaxAge)
        switch Self.verdict(for: code, signedBy: keyID, issuedAt: issuedAt, in: keys) {
        case .notIssued: return .notIssued
        case .forged: return .forged
        case .keyNotValid(let keyID, _, let status): return .keyNotValid(keyID: keyID, status: status)
        case .genuine(let keyID, let party):
            let known = KnownUnit(headID: state.headID, registryVersion: version, keyID: keyID, party: party, container: container)
            remember(known)
            return .genuine(try genuine(known, state: state, serial: code.serial, storedScans: storedScans))
        }
    }

    private func genuine(_ unit: KnownUnit, state: BatchState, serial: String, storedScans: StoredScans) throws(ServiceError) -> GenuineUnit {
        let history = try history(of: state)
        return GenuineUnit(history: history, keyID: unit.keyID, party: unit.party, container: unit.container,
                           recall: history.recall(serial: serial), storedScans: storedScans)
    }

    /// The batch's history at `state`'s head, built once per head.
    func history(of state: BatchState) throws(ServiceError) -> BatchHistory {
        if let history = histories.get(state.key), history.headID == state.headID {
            options.observer.batchHistoryReused()
            return history
        }
        options.observer.batchHistoryBuilt()
        let history = try buildHistory(records: try reader.history(state), product: try reader.product(gtin: state.gtin),
                                       gtin: state.gtin, lot: state.lot)
        histories.set(state.key, history)
        return history
    }

    /// The verdict for a code known to carry its unit's issued signature, made with
    /// key `keyID` at `issuedAt`: genuine when the key is a registered party's in
    /// `registry`, matches the code's key hint and was valid then
    /// (docs/trust-list.md §Key status).
    public static func verdict(for code: UnitCode, signedBy keyID: String, issuedAt: Int64, in registry: KeyRegistry) -> UnitVerdict {
        guard let id = KeyID(hex: keyID), let entry = registry.keys[id], id.short == code.keyHint else { return .forged }
        let status = registry.status(of: id, signedAt: Instant(seconds: issuedAt))
        guard status.isValid else { return .keyNotValid(keyID: keyID, party: entry.party.rawValue, status: status) }
        return .genuine(keyID: keyID, party: entry.party.rawValue)
    }

    /// The batch's state, reused for up to `Options.batchStateMaxAge`.
    public func batchState(_ reference: BatchReference) throws(ServiceError) -> BatchState? {
        try states.state(key: reference.key) { () throws(ServiceError) in try reader.batch(reference) }
    }

    /// Forgets the batch's state (`GTIN/LOT`): a write through this process moved its head.
    public func batchChanged(_ batchKey: String) { states.invalidate(batchKey) }

    /// Checks that the store answers (a health probe).
    public func checkStore() throws(ServiceError) {
        _ = try ServiceError.reading { try records.batch(key: "") }
    }

    /// Loads the batch's unit index now, on the caller's thread (tests; warming up).
    public func loadIndex(_ reference: BatchReference) throws(ServiceError) {
        guard let state = try reader.batch(reference) else { return }
        indexes.loadNow(state)
    }
}
