import YimaText

/// A recall as a verifier applies it (docs/records.md §Recall): a signed `recall`
/// event naming a batch and, optionally, some of its units.
public struct RecallNotice: Sendable, Hashable {
    public let batch: BatchReference
    /// The units recalled; empty means the whole batch.
    public let units: Set<Serial>
    public let reason: String
    /// What a holder should do.
    public let action: String
    public let time: Timestamp
    public let by: PartyID
    public let recordID: RecordID

    /// The notice a recall event carries; nil for other events.
    public init?(_ event: Event, recordID: RecordID) {
        guard case .recall(let reason, let action, let units) = event.data else { return nil }
        batch = event.batch
        self.units = Set(units)
        self.reason = reason
        self.action = action
        time = event.time
        by = event.actor
        self.recordID = recordID
    }

    /// Whether the unit `serial` of batch `gtin`/`lot` is recalled by this notice.
    public func covers(gtin: String, lot: String, serial: String) -> Bool {
        batch.gtin.rawValue == gtin && batch.lot.rawValue == lot && (units.isEmpty || units.contains { $0.rawValue == serial })
    }

    public func message(in language: Language) -> String {
        RecordsMessage.recallNotice.text(in: language, ["time": time, "by": by, "reason": reason, "action": action])
    }
}
