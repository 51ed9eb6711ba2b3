import YimaCodes
import YimaRecords
import YimaStore

extension Recording {
    /// Runs the domain rules (质量有保障) for `event`, filling the rule context from
    /// the store: the batch, its product, its prior events, and the state of just the
    /// units and cartons the event names (so a million-unit batch costs nothing extra).
    func checkRules(_ event: Event, batch state: BatchState, signer: Party, pending: [RecordedEvent] = []) throws(ServiceError) {
        let context = try ruleContext(event, batch: state, signer: signer, pending: pending)
        do { try Rules.check(event, in: context) } catch { throw .rule(error) }
    }

    /// What the rules judge `event` by, read from the store.
    func ruleContext(_ event: Event, batch state: BatchState, signer: Party, pending: [RecordedEvent] = []) throws(ServiceError) -> RuleContext {
        let records = try reader.history(state)
        guard let first = records.first, case .batch(let batch) = first.record else {
            throw .store(.database("batch \(state.key) has no batch record"))
        }
        guard case .product(let product)? = try reader.product(gtin: state.gtin)?.record else {
            throw .rejected(.unknownReference, .productNotDefined, ["gtin": state.gtin])
        }
        var prior: [RecordedEvent] = []
        for decoded in records.dropFirst() {
            if case .event(let earlier) = decoded.record {
                prior.append(RecordedEvent(id: decoded.envelope.recordID, event: earlier))
            }
        }
        prior += pending
        var unitStates: [Serial: UnitState] = [:]
        for serial in event.data.unitSerials {
            guard try ServiceError.reading({ try units.unit(gtin: state.gtin, lot: state.lot, serial: serial.rawValue) }) != nil else { continue }
            if let parent = try ServiceError.reading({ try units.container(of: "\(state.key)/\(serial.rawValue)") }),
               let sscc = SSCC(validating: parent) {
                unitStates[serial] = .packed(into: sscc)
            } else {
                unitStates[serial] = .issued
            }
        }
        var palletised: [SSCC: SSCC] = [:]
        for carton in Self.cartons(in: event.data) {
            if let parent = try ServiceError.reading({ try units.container(of: carton.rawValue) }), let pallet = SSCC(validating: parent) {
                palletised[carton] = pallet
            }
        }
        return RuleContext(batch: batch, batchRecordID: first.envelope.recordID, product: product,
                           priorEvents: prior, actor: signer, units: unitStates, palletisedCartons: palletised,
                           now: clock.now(), allowedClockSkew: clock.skew)
    }

    /// The cartons an event places on a pallet.
    static func cartons(in data: EventData) -> [SSCC] {
        if case .packing(_, .cartons(let cartons)) = data { return cartons }
        return []
    }
}
