/// One table of a store, with its columns in the order both engines read and write
/// them: what `yima migrate` copies from SQLite to PostgreSQL (issue 13 §6). Listed
/// so that every row's references come before it.
public enum StoreTable: String, CaseIterable, Sendable {
    case records, parties, partyKeys = "party_keys", products, batches, units, packing
    case ledgerHashes = "ledger_hashes", scans, scanClients = "scan_clients", unitPins = "unit_pins", notices

    public var name: String { rawValue }

    public var columns: [String] {
        switch self {
        case .records: ["seq", "id", "kind", "batch_key", "signer_key", "envelope", "recorded_at"]
        case .parties: ["id", "record_seq"]
        case .partyKeys: ["key_id", "party_id"]
        case .products: ["gtin", "owner", "record_seq"]
        case .batches: ["key", "gtin", "lot", "owner", "record_seq", "head_id", "head_time", "event_count", "unit_count"]
        case .units: ["gtin", "lot", "serial", "key_id", "signature", "issued_at"]
        case .packing: ["child", "parent", "record_seq"]
        case .ledgerHashes: ["idx", "hash"]
        case .scans: ["gtin", "lot", "serial", "count", "clients", "first_at", "last_at"]
        case .scanClients: ["gtin", "lot", "serial", "client", "first_at", "count"]
        case .unitPins: ["gtin", "lot", "serial", "hash", "created_at", "first_verified_at"]
        case .notices: ["record_seq", "type", "batch_key", "owner"]
        }
    }

    /// The primary key: rows are read in its order.
    public var key: [String] {
        switch self {
        case .records: ["seq"]
        case .parties: ["id"]
        case .partyKeys: ["key_id"]
        case .products: ["gtin"]
        case .batches: ["key"]
        case .units, .scans, .unitPins: ["gtin", "lot", "serial"]
        case .packing: ["child"]
        case .ledgerHashes: ["idx"]
        case .scanClients: ["gtin", "lot", "serial", "client"]
        case .notices: ["record_seq"]
        }
    }
}

/// One value of a table row, as both engines hold it.
public enum TableValue: Sendable, Hashable {
    case integer(Int64), text(String), blob([UInt8]), null
}

/// A store's tables read whole, in pages, for copying to another engine.
public protocol TableExport: Sendable {
    /// How many rows `table` holds.
    func rowCount(_ table: StoreTable) throws(StoreError) -> Int64
    /// Calls `body` with every table's rows (`StoreTable.allCases` in order, each in
    /// key order), `pageSize` rows at a time, all from one snapshot: memory stays at
    /// one page however large the store.
    func exportTables(pageSize: Int, _ body: (StoreTable, [[TableValue]]) throws -> Void) throws
}

/// A store that takes another store's tables whole.
public protocol TableImport: Sendable {
    /// How many rows `table` holds.
    func rowCount(_ table: StoreTable) throws(StoreError) -> Int64
    /// Copies every table of `source` in ONE transaction, refusing a store that
    /// already holds any row: all is copied or nothing, and the row counts are
    /// compared before COMMIT. `progress` hears each table's name and row count.
    func importTables(from source: any TableExport, progress: (StoreTable, Int64) -> Void) throws
}
