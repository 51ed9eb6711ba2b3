/// Everything a Yima store keeps, as one capability per concern. Use cases take only
/// the capabilities they use (`RecordStore`, `UnitStore`, …); only the composition
/// root that opens a store sees it whole. The embedded SQLite store implements them
/// all, and so must any other engine (PostgreSQL for scale-out).
public typealias TraceStore = RecordStore & UnitStore & ScanStore & PinStore & ActivityStore & TransparencyLog
    & RegistrationStore & RequestNonceStore
