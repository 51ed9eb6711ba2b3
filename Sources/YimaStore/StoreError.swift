/// Why a store operation failed.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data folder or database cannot be opened or created.
    case unavailable(String)
    /// The record is already stored (a replay).
    case duplicateRecord(id: String)
    /// The batch's chain moved on since the caller read its head.
    case staleHead(batch: String)
    case unknownBatch(String)
    case duplicateBatch(String)
    case duplicateUnit(String)
    case alreadyPacked(child: String, into: String)
    /// The database refused the write or read; carries SQLite's message.
    case database(String)
    /// The log's stored hashes are missing or inconsistent.
    case ledger(String)
    /// A pending registration request already has this credit code, party id or key.
    case pendingRegistration(StoredRegistration.Conflict, id: String)
    /// As many registration requests as allowed are pending.
    case registrationQueueFull(Int)
    /// The registration request is unknown or already decided.
    case registrationNotPending(id: String)

    public var description: String {
        switch self {
        case .unavailable(let why): "the store cannot be opened: \(why)"
        case .duplicateRecord(let id): "record \(id) is already stored (replay)"
        case .staleHead(let batch): "batch \(batch) has a newer record; re-read its chain head and sign again"
        case .unknownBatch(let key): "unknown batch \(key)"
        case .duplicateBatch(let key): "batch \(key) already exists"
        case .duplicateUnit(let code): "unit \(code) is already issued"
        case .alreadyPacked(let child, let into): "\(child) is already packed into \(into)"
        case .database(let message): "database error: \(message)"
        case .ledger(let message): "transparency log error: \(message)"
        case .pendingRegistration(let field, let id): "registration request \(id) with the same \(field.rawValue) is pending"
        case .registrationQueueFull(let limit): "\(limit) registration requests are pending already"
        case .registrationNotPending(let id): "registration request \(id) is not pending"
        }
    }
}
