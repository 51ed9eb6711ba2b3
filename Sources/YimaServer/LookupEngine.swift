import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

/// Resolves a scanned code to what the server answers with, caching what can be
/// cached: the batch part of chains (per batch head) and each unit's verdict and
/// container (per unit and batch head). A warm lookup costs one indexed read of
/// the batch's head (a unit's first lookup: one of the unit's row with it) and no
/// signature verification.
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
    let batches: LRUCache<String, BatchView>
    let units: LRUCache<UnitKey, UnitInfo>

    init(service: TraceService, renderer: PageRenderer, metrics: ServerMetrics, configuration: ServerConfiguration) {
        self.service = service
        self.renderer = renderer
        self.metrics = metrics
        batches = LRUCache(capacity: configuration.cachedBatches)
        units = LRUCache(capacity: configuration.cachedUnits)
    }

    /// With `scanClients`, the unit's scan summary is read in the same trip to the store.
    func resolve(_ code: UnitCode, scanned: String, scanClients: Int? = nil) throws(ServiceError) -> Outcome {
        let key = UnitKey(gtin: code.gtin, lot: code.lot, serial: code.serial, signature: code.signature)
        let batchKey = "\(code.gtin)/\(code.lot)"
        // A unit seen before needs only its batch's head, a read of a small table: the
        // unit row never changes, and its verdict and container hold until the head
        // moves (packing is an event on the batch) or the key registry changes.
        if scanClients == nil, let known = units.get(key), let view = batches.get(batchKey), view.headID == known.headID,
           try service.keyRegistry(maxAge: .seconds(1)).version == known.registryVersion,
           try service.batchState(gtin: code.gtin, lot: code.lot)?.headID == known.headID {
            metrics.cacheHits.increment()
            return .genuine(view, known, nil)
        }
        // Else one trip to the store gives the unit row, the batch head, the container
        // and (on a unit's first scan since start) its scan summary.
        let found = try service.lookupUnit(code, scanClients: scanClients)
        guard let state = found.batch else { return .notIssued }
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
        if let view = batches.get(batchKey), view.headID == state.headID {
            metrics.cacheHits.increment()
            return .genuine(view, unit!, found.scans)
        }
        metrics.cacheMisses.increment()
        let view = try BatchView.build(try service.chain(for: scanned), service: service, renderer: renderer)
        batches.set(batchKey, view)
        return .genuine(view, unit!, found.scans)
    }
}
