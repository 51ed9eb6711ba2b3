import Foundation
import GRDB
import YimaLedger

/// The transparency log (RFC 9162 Merkle tree) over every stored record: record
/// `seq` is leaf `seq`, its entry the canonical envelope bytes. Leaves are appended
/// in the same transaction as their record, so the log and the records never
/// disagree; anyone holding a signed checkpoint can later prove nothing was removed
/// or rewritten.
extension SQLiteStore: TransparencyLog {
    /// Appends the leaf for record `sequence` (called inside the record's transaction).
    static func appendLeaf(_ sequence: Int64, entry: [UInt8], in db: Database) throws {
        let hashes = try StoredHashes.hashesToStore(forLeaf: sequence, leafHash: MerkleHash.leaf(entry),
                                                    reader: SQLiteHashReader(db: db))
        try insertHashes(hashes, forLeaf: sequence, in: db)
    }

    static func insertHashes(_ hashes: [TreeHash], forLeaf sequence: Int64, in db: Database) throws {
        let first = StoredHashes.count(treeSize: sequence)
        let insert = try db.cachedStatement(sql: "INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)")
        for (offset, hash) in hashes.enumerated() {
            try insert.execute(arguments: [first + Int64(offset), Data(hash.bytes)])
        }
    }

    public func treeSize() throws(StoreError) -> Int64 {
        try recordCount()
    }

    public func treeHash(size: Int64) throws(StoreError) -> TreeHash {
        try ledgerRead { db in try StoredHashes.treeHash(treeSize: size, reader: SQLiteHashReader(db: db)) }
    }

    public func inclusionProof(leaf: Int64, treeSize: Int64) throws(StoreError) -> InclusionProof {
        try ledgerRead { db in try InclusionProof.generate(leafIndex: leaf, treeSize: treeSize, reader: SQLiteHashReader(db: db)) }
    }

    public func consistencyProof(oldSize: Int64, newSize: Int64) throws(StoreError) -> ConsistencyProof {
        try ledgerRead { db in try ConsistencyProof.generate(oldSize: oldSize, newSize: newSize, reader: SQLiteHashReader(db: db)) }
    }

    public func logHashes(_ indexes: [Int64]) throws(StoreError) -> [TreeHash] {
        try ledgerRead { db in try SQLiteHashReader(db: db).readHashes(indexes) }
    }

    public func entries(_ range: Range<Int64>) throws(StoreError) -> [[UInt8]] {
        let rows = try ledgerRead { db in
            try Data.fetchAll(db, sql: "SELECT envelope FROM records WHERE seq >= ? AND seq < ? ORDER BY seq",
                              arguments: [range.lowerBound, range.upperBound])
        }
        guard rows.count == range.count else {
            throw .ledger("leaves \(range.lowerBound)..<\(range.upperBound) are not all stored")
        }
        return rows.map { Array($0) }
    }

    /// Reads outside a transaction: stored hashes and records never change once
    /// written (append-only triggers), so every statement sees the same values for
    /// the rows a proof of a committed size asks for, and skipping BEGIN/COMMIT
    /// takes a good part off a proof's latency.
    private func ledgerRead<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.unsafeRead(body)
        } catch let error as DatabaseError {
            throw .database(Self.message(error))
        } catch {
            throw .ledger("\(error)")
        }
    }
}

/// The log's size and right edge inside one write transaction of many appends:
/// each leaf extends the edge in memory instead of reading its left siblings back,
/// and the next position is counted instead of queried.
final class LedgerTail {
    private(set) var size: Int64
    private var edge: CompactRange

    init(_ db: Database) throws {
        size = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), -1) + 1 FROM records")) ?? 0
        edge = try CompactRange.read(treeSize: size, reader: SQLiteHashReader(db: db))
    }

    func append(_ sequence: Int64, entry: [UInt8], in db: Database) throws {
        precondition(sequence == size, "leaves are appended in order")
        try SQLiteStore.insertHashes(edge.append(leafHash: MerkleHash.leaf(entry)), forLeaf: sequence, in: db)
        size += 1
    }
}
