import YimaRecords

/// The issued-set audit of a store (docs/issuance-commitment.md §4): every unit
/// issuance's committed root recomputed from the units the store serves.
public struct IssuedSetAudit: Sendable {
    public let checks: [IssuedSetCheck]
    /// Per batch key, units that no issuance event accounts for.
    public let strayUnits: [String: Int64]

    /// True when every committed event holds and no unit is unaccounted for.
    public var holds: Bool {
        strayUnits.isEmpty && checks.allSatisfy { if case .mismatch = $0.verdict { false } else { true } }
    }
}

extension Issuance {
    /// Recomputes every unit-issuance event's root from the units table (of one batch,
    /// or of all): `yima audit --data DIR --units`.
    public func auditIssuedSets(batch only: BatchReference? = nil) throws(ServiceError) -> IssuedSetAudit {
        let batches: [BatchReference]
        if let only {
            batches = [only]
        } else {
            batches = try ServiceError.reading { try reader.records.records(kind: .batch) }.compactMap { stored in
                guard case .batch(let batch)? = try? RecordReader.decode(stored).record else { return nil }
                return batch.reference
            }
        }
        var checks: [IssuedSetCheck] = []
        var stray: [String: Int64] = [:]
        for reference in batches {
            let state = try reader.requireBatch(reference)
            let events = try reader.history(state).compactMap { decoded -> (id: RecordID, event: Event)? in
                guard case .event(let event) = decoded.record else { return nil }
                return (decoded.envelope.recordID, event)
            }
            let result = try IssuedSets(units: units).check(batch: reference, events: events)
            checks += result.checks
            if result.strayUnits > 0 { stray[reference.key] = result.strayUnits }
        }
        return IssuedSetAudit(checks: checks, strayUnits: stray)
    }
}
