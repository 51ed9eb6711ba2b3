import YimaCodes
import YimaRecords
import YimaStore

/// Where one unit of a recalled batch last went (流向可跟踪): the carton and pallet
/// it was packed into and the last shipping or receiving event that moved it, itself
/// or any container holding it.
public struct RecallTraceRow: Sendable, Equatable {
    public let serial: String
    public let carton: String?
    public let pallet: String?
    /// `shipping` or `receiving`; nil if the unit never moved.
    public let lastStep: EventType?
    public let lastTime: Timestamp?
    /// Who holds it now: the receiver, the shipment's destination, or the batch owner.
    public let holder: String
    /// Whether a recall notice covers this unit.
    public let recalled: Bool

    public static let csvHeader = ["serial", "carton", "pallet", "last_step", "last_time", "holder", "recalled"]

    public var csvFields: [String] {
        [serial, carton ?? "", pallet ?? "", lastStep?.rawValue ?? "", lastTime?.rawValue ?? "", holder, recalled ? "yes" : "no"]
    }
}

extension Recalls {
    /// Every issued unit of a batch and where it last went, following shipping and
    /// receiving through aggregation: an event naming a pallet moves its cartons and
    /// their units. Movements are read from the batch's own chain.
    public func trace(batch reference: BatchReference) throws(ServiceError) -> [RecallTraceRow] {
        guard let batch = try reader.batch(reference) else {
            throw .notFound(.unknownBatch, ["batch": reference.key])
        }
        var movements: [(event: Event, ids: Set<String>, holder: String)] = []
        var notices: [RecallNotice] = []
        for decoded in try reader.history(batch) {
            guard case .event(let event) = decoded.record else { continue }
            if let notice = RecallNotice(event, recordID: decoded.envelope.recordID) { notices.append(notice) }
            switch event.data {
            case .shipping(_, let to, _, let units, let containers):
                movements.append((event, Set(units.map(\.rawValue) + containers.map(\.rawValue)), to.rawValue))
            case .receiving(_, let units, let containers):
                movements.append((event, Set(units.map(\.rawValue) + containers.map(\.rawValue)), event.actor.rawValue))
            default:
                break
            }
        }
        let serials = try ServiceError.reading { try units.serials(gtin: batch.gtin, lot: batch.lot) }
        var cartonPallets: [String: String?] = [:]
        return try serials.map { serial throws(ServiceError) in
            let carton = try ServiceError.reading { try units.container(of: reference.unitPath(serial)) }
            var pallet: String?
            if let carton {
                if let known = cartonPallets[carton] { pallet = known } else {
                    pallet = try ServiceError.reading { try units.container(of: carton) }
                    cartonPallets[carton] = pallet
                }
            }
            let ids = Set([serial, carton, pallet].compactMap { $0 })
            let last = movements.last { !$0.ids.isDisjoint(with: ids) }
            return RecallTraceRow(serial: serial, carton: carton, pallet: pallet, lastStep: last?.event.type,
                                  lastTime: last?.event.time, holder: last?.holder ?? batch.owner,
                                  recalled: notices.contains { $0.covers(gtin: batch.gtin, lot: batch.lot, serial: serial) })
        }
    }
}
