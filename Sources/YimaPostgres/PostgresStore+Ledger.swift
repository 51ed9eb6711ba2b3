import Foundation
import PostgresNIO
import YimaLedger
import YimaStore

/// The transparency log (RFC 9162 Merkle tree) over every stored record, as
/// `SQLiteStore` keeps it: record `seq` is leaf `seq`, its entry the envelope bytes,
/// and `ledger_hashes` holds the tlog stored hashes at the same indexes, appended
/// in the record's transaction. Same records, same hashes, same roots.
extension PostgresStore: TransparencyLog {
    public func treeSize() throws(StoreError) -> Int64 {
        try recordCount()
    }

    public func treeHash(size: Int64) throws(StoreError) -> TreeHash {
        try ledgerRead { session in try StoredHashes.treeHash(treeSize: size, reader: PostgresHashReader(session: session)) }
    }

    public func inclusionProof(leaf: Int64, treeSize: Int64) throws(StoreError) -> InclusionProof {
        try ledgerRead { session in
            try InclusionProof.generate(leafIndex: leaf, treeSize: treeSize, reader: PostgresHashReader(session: session))
        }
    }

    public func consistencyProof(oldSize: Int64, newSize: Int64) throws(StoreError) -> ConsistencyProof {
        try ledgerRead { session in
            try ConsistencyProof.generate(oldSize: oldSize, newSize: newSize, reader: PostgresHashReader(session: session))
        }
    }

    public func logHashes(_ indexes: [Int64]) throws(StoreError) -> [TreeHash] {
        try ledgerRead { session in try PostgresHashReader(session: session).readHashes(indexes) }
    }

    public func entries(_ range: Range<Int64>) throws(StoreError) -> [[UInt8]] {
        let rows = try ledgerRead { session in
            try session.rows("""
                SELECT envelope FROM records WHERE seq >= \(range.lowerBound) AND seq < \(range.upperBound) ORDER BY seq
                """).map { try Array($0.decode(Data.self)) }
        }
        guard rows.count == range.count else {
            throw .ledger("leaves \(range.lowerBound)..<\(range.upperBound) are not all stored")
        }
        return rows
    }

    /// Reads outside a transaction: stored hashes never change once written, so each
    /// statement sees the same values for the hashes of a committed size.
    private func ledgerRead<T>(_ body: (Session) throws -> T) throws(StoreError) -> T {
        do {
            return try connections.with(body)
        } catch let error where PostgresFailure.isPostgres(error) {
            throw PostgresFailure.storeError(error, url: url)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .ledger("\(error)")
        }
    }
}

/// Reads stored hashes in one query per call, on the session it is given: inside an
/// append transaction it sees that transaction's own hashes.
struct PostgresHashReader: HashReader {
    let session: Session

    func readHashes(_ indexes: [Int64]) throws -> [TreeHash] {
        guard !indexes.isEmpty else { return [] }
        var found: [Int64: TreeHash] = [:]
        for row in try session.rows("SELECT idx, hash FROM ledger_hashes WHERE idx = ANY(\(indexes))") {
            let (index, hash) = try row.decode((Int64, Data).self)
            found[index] = TreeHash(bytes: Array(hash))
        }
        return try indexes.map { index in
            guard let hash = found[index] else { throw HashReaderError.missingHash(index: index) }
            return hash
        }
    }
}

/// The log's size and right edge inside one append transaction (which holds the
/// append lock, so nobody else moves them): each leaf extends the edge in memory,
/// and its new hashes go in with one statement.
final class LedgerTail {
    private(set) var size: Int64
    private var edge: CompactRange

    init(_ session: Session) throws {
        size = try PostgresStore.size(session)
        edge = try CompactRange.read(treeSize: size, reader: PostgresHashReader(session: session))
    }

    func append(_ sequence: Int64, entry: [UInt8], in session: Session) throws {
        precondition(sequence == size, "leaves are appended in order")
        let hashes = edge.append(leafHash: MerkleHash.leaf(entry))
        let first = StoredHashes.count(treeSize: sequence)
        let indexes = hashes.indices.map { first + Int64($0) }
        try session.execute("""
            INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest(\(indexes), \(hashes.map { ByteBuffer(bytes: $0.bytes) }))
            """)
        size += 1
    }
}
