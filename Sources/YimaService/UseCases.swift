import YimaCrypto
import YimaStore

/// The composition root: every use case, wired over one store with the capabilities
/// each needs, for the command line and the server. Use cases are independent
/// values; this only builds them.
public struct UseCases: Sendable {
    public let recording: Recording
    public let issuance: Issuance
    public let labelling: Labelling
    /// The default resolver (the command line's); a server makes its own with `resolver(_:)`.
    public let resolver: CodeResolver
    public let keys: Keys
    public let transparency: Transparency
    public let recalls: Recalls
    public let certificates: Certificates
    public let reports: Reports
    public let scanCounting: ScanCounting
    public let registrations: Registrations
    public let epcis: EPCISExchange
    public let nationalExport: NationalExport
    public let uploader: Uploader
    public let traceAliases: TraceAliases
    /// The read replica's status, when the store reads from one.
    public let replication: Replication?

    private let store: any TraceStore
    private let reader: RecordReader

    /// With a store that reads from a replica (`ReplicaStatus`), the use cases that
    /// write read from its primary (`writer`): a chain head or a key checked before a
    /// write must be the primary's, not a standby's a moment behind.
    public init(store: any TraceStore, authorities: [PublicKey], clock: ServiceClock = ServiceClock()) {
        self.store = store
        let registry = Registry(records: store, authorities: authorities)
        let reader = RecordReader(records: store, log: store, registry: registry)
        self.reader = reader
        let replica = store as? any ReplicaStatus
        let writer = replica?.writer ?? store
        let writeRegistry = replica == nil ? registry : Registry(records: writer, authorities: authorities)
        let writeReader = replica == nil ? reader : RecordReader(records: writer, log: writer, registry: writeRegistry)
        let recording = Recording(records: writer, units: writer, aliases: writer, reader: writeReader, registry: writeRegistry, clock: clock)
        let resolver = CodeResolver(records: store, units: store, scans: store, reader: reader, registry: registry, options: .init())
        self.recording = recording
        self.resolver = resolver
        issuance = Issuance(recording: recording, reader: writeReader, units: writer, pins: writer)
        labelling = Labelling(recording: recording, reader: writeReader, units: writer, nonces: writer)
        keys = Keys(recording: recording, registry: writeRegistry, records: writer)
        transparency = Transparency(log: store, records: store, units: store, resolver: resolver, authorities: authorities)
        recalls = Recalls(recording: recording, reader: writeReader, units: writer)
        certificates = Certificates(recording: recording, reader: writeReader)
        reports = Reports(activityStore: store, reader: reader)
        scanCounting = ScanCounting(scans: store)
        registrations = Registrations(store: writer, nonces: writer, recording: recording, registry: writeRegistry)
        epcis = EPCISExchange(recording: recording, reader: writeReader)
        nationalExport = NationalExport(records: store, log: store, aliases: store, reader: reader, clock: clock)
        uploader = Uploader(uploads: writer, log: store, national: nationalExport, epcis: epcis, clock: clock)
        traceAliases = TraceAliases(aliases: store, units: store)
        replication = replica.map(Replication.init)
    }

    /// A resolver with its own caches and options (a lookup server's), over the same
    /// store and record cache.
    public func resolver(_ options: CodeResolver.Options) -> CodeResolver {
        CodeResolver(records: store, units: store, scans: store, reader: reader, registry: reader.registry, options: options)
    }

    /// The key registry: authorities, parties and key status.
    public var registry: Registry { reader.registry }
}
