import YimaLedger
import YimaRecords
import YimaStore

/// What the units table holds for one unit-issuance event, against what the event
/// commits to (docs/issuance-commitment.md §4).
public struct IssuedSetCheck: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// The units served give exactly the committed root and count.
        case holds
        /// They do not: units added, dropped or changed behind the event's back.
        case mismatch(servedCount: Int64, servedRoot: String?)
        /// An event signed before `units_root` existed: only its count can be checked (§5).
        case notCommitted
        /// Another issuance of the batch has the same second, so their units cannot be told apart.
        case ambiguous
    }

    public let eventID: RecordID
    public let batchKey: String
    public let issuance: UnitIssuance
    public let verdict: Verdict
}

/// The issued-set commitments of a batch, recomputed from the units table. Issuance
/// stores every unit of an event with `issued_at` equal to the event's signed time
/// (Unix seconds), which is how a batch's units are told apart by event; within an
/// event the table's serial order is the commitment's order.
struct IssuedSets {
    let units: any UnitStore

    /// Each unit-issuance event of the batch (in chain order) checked, and how many
    /// units no event accounts for (beyond the counts of events without a commitment).
    /// With `proving`, the inclusion proof of that serial in its event's tree when the
    /// event commits and the table agrees with it.
    func check(batch: BatchReference, events: [(id: RecordID, event: Event)], proving serial: String? = nil)
        throws(ServiceError) -> (checks: [IssuedSetCheck], strayUnits: Int64, proof: (event: RecordID, proof: InclusionProof)?) {
        let issuances = events.compactMap { item -> (id: RecordID, seconds: Int64, issuance: UnitIssuance)? in
            guard case .unitIssuance(let issuance) = item.event.data else { return nil }
            return (item.id, item.event.time.instant.seconds, issuance)
        }
        var perSecond: [Int64: Int] = [:]
        for issuance in issuances { perSecond[issuance.seconds, default: 0] += 1 }
        let committedSeconds = Set(issuances.filter { $0.issuance.unitsRoot != nil && perSecond[$0.seconds] == 1 }.map(\.seconds))

        var builders: [Int64: IssuanceCommitment.Builder] = [:]
        var failed: Set<Int64> = []
        var unattributed: Int64 = 0
        var target: (seconds: Int64, index: Int)?
        var targetHashes: [TreeHash] = []
        let (gtin, lot) = (batch.gtin.rawValue, batch.lot.rawValue)
        // The units of the serial's own issuance, found first so that its leaves can be kept.
        let targetSeconds = try serial.flatMap { serial throws(ServiceError) in
            try ServiceError.reading { try units.unit(gtin: gtin, lot: lot, serial: serial) }?.issuedAt
        }.flatMap { committedSeconds.contains($0) ? $0 : nil }
        try ServiceError.reading {
            try units.forEachIssuedUnit(gtin: gtin, lot: lot) { row in
                guard committedSeconds.contains(row.issuedAt) else {
                    unattributed += 1
                    return
                }
                do {
                    try builders[row.issuedAt, default: IssuanceCommitment.Builder()].append(serial: row.serial, signature: row.signature)
                    if row.issuedAt == targetSeconds {
                        if row.serial == serial { target = (row.issuedAt, targetHashes.count) }
                        targetHashes.append(try IssuanceCommitment.leafHash(serial: row.serial, signature: row.signature))
                    }
                } catch {
                    failed.insert(row.issuedAt)
                }
            }
        }
        var checks: [IssuedSetCheck] = []
        var proof: (event: RecordID, proof: InclusionProof)?
        for item in issuances {
            let verdict: IssuedSetCheck.Verdict
            if perSecond[item.seconds]! > 1 {
                verdict = .ambiguous
            } else if let committed = item.issuance.unitsRoot {
                let builder = builders[item.seconds] ?? IssuanceCommitment.Builder()
                let served = failed.contains(item.seconds) ? nil : try? builder.root()
                if let served, served.bytes == committed.bytes, builder.count == item.issuance.count {
                    verdict = .holds
                    if let target, target.seconds == item.seconds {
                        proof = (item.id, IssuanceCommitment.inclusionProof(leafIndex: target.index, leafHashes: targetHashes))
                    }
                } else {
                    verdict = .mismatch(servedCount: builder.count, servedRoot: served?.hex)
                }
            } else {
                verdict = .notCommitted
            }
            checks.append(IssuedSetCheck(eventID: item.id, batchKey: batch.key, issuance: item.issuance, verdict: verdict))
        }
        // Units of events without a (unique) commitment cannot be attributed: beyond their counts, they are stray.
        let uncommittedCount = issuances.filter { !committedSeconds.contains($0.seconds) }.reduce(Int64(0)) { $0 + $1.issuance.count }
        return (checks, max(0, unattributed - uncommittedCount), proof)
    }
}
