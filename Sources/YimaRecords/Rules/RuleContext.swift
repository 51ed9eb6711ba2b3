/// An event already in a batch's chain, with its record id.
public struct RecordedEvent: Sendable, Hashable {
    public let id: RecordID
    public let event: Event

    public init(id: RecordID, event: Event) {
        self.id = id
        self.event = event
    }

    public init(_ event: Event) {
        self.init(id: Record.event(event).id, event: event)
    }
}

/// Where an issued unit is.
public enum UnitState: Sendable, Hashable {
    /// Issued (its code signed), not yet in a carton.
    case issued
    /// Packed into the carton with this SSCC.
    case packed(into: SSCC)
}

/// Everything the rules need to judge one new event, filled by the store: the
/// rules themselves read no storage and no clock.
public struct RuleContext: Sendable {
    /// The batch the event is for, and its record id (the head of its chain).
    public var batch: Batch
    public var batchRecordID: RecordID
    /// The batch's product (its category decides restricted-pesticide scope).
    public var product: Product
    /// The batch's events so far, in chain order (oldest first).
    public var priorEvents: [RecordedEvent]
    /// The party whose key signs the new event.
    public var actor: Party
    /// The batch's issued units by serial, with their packing state. A serial
    /// absent here was never issued.
    public var units: [Serial: UnitState]
    /// Cartons already placed on a pallet: carton SSCC → pallet SSCC.
    public var palletisedCartons: [SSCC: SSCC]
    /// The current time.
    public var now: Instant
    /// How far an event may lie in the future (device clocks drift): 5 minutes by default.
    public var allowedClockSkew: Duration
    /// The banned and restricted pesticides; the bundled list by default.
    public var bannedPesticides: BannedPesticideList

    public init(batch: Batch, batchRecordID: RecordID, product: Product, priorEvents: [RecordedEvent], actor: Party,
                units: [Serial: UnitState] = [:], palletisedCartons: [SSCC: SSCC] = [:], now: Instant = .now(),
                allowedClockSkew: Duration = .seconds(300), bannedPesticides: BannedPesticideList = .bundled) {
        self.batch = batch
        self.batchRecordID = batchRecordID
        self.product = product
        self.priorEvents = priorEvents
        self.actor = actor
        self.units = units
        self.palletisedCartons = palletisedCartons
        self.now = now
        self.allowedClockSkew = allowedClockSkew
        self.bannedPesticides = bannedPesticides
    }

    /// The id the next event's `prev` must carry.
    public var lastRecordID: RecordID { priorEvents.last?.id ?? batchRecordID }
}
