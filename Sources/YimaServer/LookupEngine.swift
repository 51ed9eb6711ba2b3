import Foundation
import Logging
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

/// Resolves a scanned code to what the server answers with, caching what can be
/// cached: batch states (for up to `ServerConfiguration.batchStateMaxAge`), the
/// batch part of chains (per batch head) and the batch's issued units
/// (`UnitIndex`, per unit count). A lookup of an indexed batch reads nothing from
/// the store (unless the unit was scanned before the index was read: then its scan
/// summary); until the index is loaded, one indexed read of the unit's row. No
/// lookup verifies a signature.
final class LookupEngine: Sendable {
    enum Outcome: Sendable {
        /// With the unit's stored scan summary when it was asked for.
        case genuine(BatchView, UnitInfo, ScanSummary?)
        case forged
        case notIssued
        /// Signed by a key revoked (or not valid) when the unit was issued.
        case keyNotValid(keyID: String, status: KeyStatus)
    }

    struct UnitInfo: Sendable {
        let headID: [UInt8]
        /// The key registry's version the verdict was reached at: a revocation moves it.
        let registryVersion: Int64
        let verdict: UnitVerdict
        let container: String?
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

    let service: TraceService
    let renderer: PageRenderer
    let metrics: ServerMetrics
    let scans: ScanRecorder
    let batches: LRUCache<String, BatchView>
    let units: LRUCache<UnitKey, UnitInfo>
    let states: BatchStateCache
    let indexes: UnitIndexes

    init(service: TraceService, scanStore: any ScanStore, scans: ScanRecorder, renderer: PageRenderer, metrics: ServerMetrics,
         configuration: ServerConfiguration, logger: Logger) {
        self.service = service
        self.renderer = renderer
        self.metrics = metrics
        self.scans = scans
        batches = LRUCache(capacity: configuration.cachedBatches)
        units = LRUCache(capacity: configuration.cachedUnits)
        states = BatchStateCache(maxAge: configuration.batchStateMaxAge)
        indexes = UnitIndexes(store: scanStore, capacity: configuration.indexedUnits, logger: logger, metrics: metrics)
    }

    /// With `scanClients`, the unit's stored scan summary comes with the answer (nil
    /// when the caller must read it: the unit was scanned before its index was read).
    func resolve(_ code: UnitCode, scanned: String, scanClients: Int? = nil) throws(ServiceError) -> Outcome {
        let batchKey = "\(code.gtin)/\(code.lot)"
        guard let batch = try states.state(gtin: code.gtin, lot: code.lot, key: batchKey, service: service) else { return .notIssued }
        if let entry = indexes.entry(for: batch, generation: scans.forgottenGeneration) {
            return try resolve(code, scanned: scanned, scanClients: scanClients, batchKey: batchKey, state: batch, index: entry)
        }
        let key = UnitKey(gtin: code.gtin, lot: code.lot, serial: code.serial, signature: code.signature)
        // A unit seen before needs only its batch's head: the unit row never changes,
        // and its verdict and container hold until the head moves (packing is an
        // event on the batch) or the key registry changes.
        if scanClients == nil, let known = units.get(key), let view = batches.get(batchKey), view.headID == known.headID,
           batch.headID == known.headID, try service.keyRegistry(maxAge: .seconds(1)).version == known.registryVersion {
            metrics.cacheHits.increment()
            return .genuine(view, known, nil)
        }
        // Else one trip to the store gives the unit row, the batch head, the container
        // and (on a unit's first scan since start) its scan summary.
        let found = try service.lookupUnit(code, scanClients: scanClients)
        guard let state = found.batch else { return .notIssued }
        states.remember(state, key: batchKey)
        var unit = units.get(key)
        let registryVersion = try service.keyRegistry(maxAge: .seconds(1)).version
        if unit == nil || unit!.headID != state.headID || unit!.registryVersion != registryVersion {
            let verdict = try service.verdict(for: code, issued: found.unit, checkSignature: false, registryMaxAge: .seconds(1))
            let fresh = UnitInfo(headID: state.headID, registryVersion: registryVersion, verdict: verdict, container: found.container)
            // Only genuine codes are remembered: a code not (yet) issued may be issued
            // later, and made-up signatures must not crowd real codes out of the cache
            // (refusing them costs one indexed read, no signature check).
            if case .genuine = verdict { units.set(key, fresh) }
            unit = fresh
        }
        switch unit!.verdict {
        case .notIssued: return .notIssued
        case .forged: return .forged
        case .keyNotValid(let keyID, _, let status): return .keyNotValid(keyID: keyID, status: status)
        case .genuine: break
        }
        return .genuine(try view(of: batchKey, at: state, scanned: scanned), unit!, found.scans)
    }

    /// A lookup answered by the batch's unit index.
    private func resolve(_ code: UnitCode, scanned: String, scanClients: Int?, batchKey: String, state: BatchState,
                         index: UnitIndexes.Entry) throws(ServiceError) -> Outcome {
        metrics.indexLookups.increment()
        let issuance: UnitIndex.Issuance, storedScans: Bool
        switch index.units.match(serial: code.serial, signature: code.signature) {
        case .notIssued: return .notIssued
        case .signatureDiffers: return .forged
        case .issued(let found, let scanned): (issuance, storedScans) = (found, scanned)
        }
        let (registry, registryVersion) = try service.keyRegistry(maxAge: .seconds(1))
        let verdict = TraceService.verdict(for: code, signedBy: issuance.keyID, issuedAt: issuance.issuedAt, in: registry)
        switch verdict {
        case .notIssued: return .notIssued
        case .forged: return .forged
        case .keyNotValid(let keyID, _, let status): return .keyNotValid(keyID: keyID, status: status)
        case .genuine: break
        }
        let unit = UnitInfo(headID: state.headID, registryVersion: registryVersion, verdict: verdict,
                            container: index.containers[code.serial])
        // No scans in the store when the index was read, nor written since and
        // forgotten by the recorder: the summary is empty, no read needed.
        var stored: ScanSummary?
        if scanClients != nil, !storedScans, !scans.hasForgotten(gtin: code.gtin, lot: code.lot, serial: code.serial) {
            stored = ScanSummary()
        }
        return .genuine(try view(of: batchKey, at: state, scanned: scanned), unit, stored)
    }

    /// The batch's view at `state`'s head, built once per head.
    private func view(of batchKey: String, at state: BatchState, scanned: String) throws(ServiceError) -> BatchView {
        if let view = batches.get(batchKey), view.headID == state.headID {
            metrics.cacheHits.increment()
            return view
        }
        metrics.cacheMisses.increment()
        let view = try BatchView.build(try service.chain(for: scanned), service: service, renderer: renderer)
        batches.set(batchKey, view)
        return view
    }
}
