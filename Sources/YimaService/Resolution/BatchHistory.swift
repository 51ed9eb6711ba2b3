import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords

/// One record of a batch's history with who signed it.
public struct ChainEntry: Sendable {
    public let stored: StoredRecord
    public let envelope: Envelope
    public let record: Record
    public let signer: Party?

    /// The entry as the JSON answer and `yima chain --json` write it (docs/api.md §JSON):
    /// id, log index, record, envelope, when it was stored, and its signer's party id.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(envelope.recordID.hex), "log_index": .integer(stored.sequence),
            "record": record.json, "envelope": envelope.json,
            "recorded_at": .string(RFC3339.utc(stored.recordedAt)),
        ]
        if let signer { object["signer"] = .string(signer.id.rawValue) }
        return .object(object)
    }
}

/// A batch's product, batch record and events in chain order, with the parties they
/// name: what every unit of the batch shows, the same until the batch's head moves.
/// A class: built once per head and shared by every lookup of the batch, so a lookup
/// passes one reference, and what is derived from the history is derived once.
public final class BatchHistory: Sendable {
    public let gtin: String
    public let lot: String
    /// `GTIN/LOT` (`BatchKey`).
    public let key: String
    public let product: ChainEntry?
    public let batch: ChainEntry
    public let events: [ChainEntry]
    /// The registrations of every party the history names (signers, the owner,
    /// laboratories, carriers, senders), in first-named order, for verifiers.
    public let parties: [ChainEntry]
    /// Records that fail their check against the log or their chain link, in log
    /// order (checked when the records were loaded; empty means intact).
    public let integrity: [IntegrityFailure]
    /// Id of the newest record: a history is stale once the batch's head differs.
    public let headID: [UInt8]
    /// The batch's recall notices in chain order (docs/records.md §Recall).
    public let recallNotices: [RecallNotice]

    init(gtin: String, lot: String, product: ChainEntry?, batch: ChainEntry, events: [ChainEntry], parties: [ChainEntry],
         integrity: [IntegrityFailure]) {
        self.gtin = gtin
        self.lot = lot
        key = BatchKey(gtin: gtin, lot: lot).description
        self.product = product
        self.batch = batch
        self.events = events
        self.parties = parties
        self.integrity = integrity
        headID = (events.last ?? batch).envelope.recordID.bytes
        recallNotices = events.compactMap { entry in
            guard case .event(let event) = entry.record else { return nil }
            return RecallNotice(event, recordID: entry.envelope.recordID)
        }
    }

    /// The registered parties by id.
    public var partiesByID: [String: Party] {
        var byID: [String: Party] = [:]
        for entry in parties { if case .party(let party) = entry.record { byID[party.id.rawValue] = party } }
        return byID
    }

    /// The latest notice recalling unit `serial`, if any.
    public func recall(serial: String) -> RecallNotice? {
        recallNotices.last { $0.covers(gtin: gtin, lot: lot, serial: serial) }
    }

    /// `{"intact":…,"problems":[…]}`: the load-time integrity checks (docs/api.md §Chain integrity).
    public var integrityJSON: JSONValue {
        .object([
            "intact": .bool(integrity.isEmpty),
            "problems": .array(integrity.map { failure in
                .object(["log_index": .integer(failure.logIndex), "problem": .string(failure.kind.rawValue),
                         "detail": .string(failure.detail), "message": .string(failure.message(in: .chinese)),
                         "message_en": .string(failure.message(in: .english))])
            }),
        ])
    }

    /// The party ids a history names, in first-named order.
    static func namedParties(in entries: [ChainEntry]) -> [String] {
        var wanted: [String] = []
        func want(_ id: String) { if !wanted.contains(id) { wanted.append(id) } }
        for entry in entries {
            if let signer = entry.signer { want(signer.id.rawValue) }
            switch entry.record {
            case .batch(let batch): want(batch.owner.rawValue)
            case .event(let event):
                switch event.data {
                case .inspection(let laboratory, _, _, _): want(laboratory.rawValue)
                case .shipping(let from, let to, let carrier, _, _): [from, to, carrier].forEach { want($0.rawValue) }
                case .receiving(let from, _, _): want(from.rawValue)
                default: break
                }
            default: break
            }
        }
        return wanted
    }
}

/// Everything known about one unit: its code's verdict, its batch's history and its
/// container. What `yima chain`, `verify --online` and evidence bundles read.
public struct UnitChain: Sendable {
    public let code: UnitCode
    /// Whether the code's signature holds against the issuing party's registered key
    /// and the code was actually issued (a validly signed code absent from the store
    /// is reported as not issued).
    public let verdict: UnitVerdict
    public let history: BatchHistory
    /// The carton or pallet this unit was packed into, if any.
    public let container: String?

    /// The latest notice recalling this unit, if any.
    public var recall: RecallNotice? { history.recall(serial: code.serial) }
}
