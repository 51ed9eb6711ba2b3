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

    private let store: any TraceStore
    private let reader: RecordReader

    public init(store: any TraceStore, authorities: [PublicKey], clock: ServiceClock = ServiceClock()) {
        self.store = store
        let registry = Registry(records: store, authorities: authorities)
        let reader = RecordReader(records: store, log: store, registry: registry)
        self.reader = reader
        let recording = Recording(records: store, units: store, aliases: store, reader: reader, registry: registry, clock: clock)
        let resolver = CodeResolver(records: store, units: store, scans: store, reader: reader, registry: registry, options: .init())
        self.recording = recording
        self.resolver = resolver
        issuance = Issuance(recording: recording, reader: reader, units: store, pins: store)
        labelling = Labelling(recording: recording, reader: reader, units: store, nonces: store)
        keys = Keys(recording: recording, registry: registry, records: store)
        transparency = Transparency(log: store, records: store, resolver: resolver, authorities: authorities)
        recalls = Recalls(recording: recording, reader: reader, units: store)
        certificates = Certificates(recording: recording, reader: reader)
        reports = Reports(activityStore: store, reader: reader)
        scanCounting = ScanCounting(scans: store)
        registrations = Registrations(store: store, nonces: store, recording: recording, registry: registry)
        epcis = EPCISExchange(recording: recording, reader: reader)
        nationalExport = NationalExport(records: store, log: store, aliases: store, reader: reader, clock: clock)
        uploader = Uploader(uploads: store, log: store, national: nationalExport, epcis: epcis, clock: clock)
        traceAliases = TraceAliases(aliases: store, units: store)
    }

    /// A resolver with its own caches and options (a lookup server's), over the same
    /// store and record cache.
    public func resolver(_ options: CodeResolver.Options) -> CodeResolver {
        CodeResolver(records: store, units: store, scans: store, reader: reader, registry: reader.registry, options: options)
    }

    /// The key registry: authorities, parties and key status.
    public var registry: Registry { reader.registry }
}
