// `yima-bench ledger`: the transparency log in SQLite (docs/benchmarks.md §ledger).
//   1. append N leaves through the store's record write path (each record and its
//      leaf in one transaction, `batch` records per transaction), against the same
//      leaves appended to the in-memory log (hashing alone), interleaved: `--pairs`
//      rounds, order alternating, the SQLite log taking the next N leaves each round;
//   2. grow the log to M leaves and time inclusion and consistency proofs read from
//      SQLite, against one indexed read of a single stored hash.
import Foundation
import YimaLedger
import YimaStore

struct LedgerOptions {
    var appends = 1_000_000
    var proofLeaves = 10_000_000
    var proofs = 10_000
    var batch = 10_000
    var pairs = 3
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        func number(_ current: Int) -> Int { Int(iterator.next()?.replacingOccurrences(of: "_", with: "") ?? "") ?? current }
        while let argument = iterator.next() {
            switch argument {
            case "--appends": appends = number(appends)
            case "--proof-leaves": proofLeaves = number(proofLeaves)
            case "--proofs": proofs = max(1, number(proofs))
            case "--batch": batch = max(1, number(batch))
            case "--pairs": pairs = max(1, number(pairs))
            case "--keep": keep = true
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// A distinct record per position: a 64-byte entry and a 32-byte id naming it.
private func benchRecord(_ position: Int) -> NewRecord {
    var id = [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: UInt64(position).bigEndian) { id.replaceSubrange(0..<8, with: $0) }
    var entry = Array("{\"bench\":\(position)}".utf8)
    entry += [UInt8](repeating: 0x20, count: max(0, 64 - entry.count))
    return NewRecord(id: id, kind: .product, signerKeyID: "bench", envelope: entry)
}

private func append(_ store: SQLiteStore, _ range: Range<Int>, batch: Int) throws {
    var start = range.lowerBound
    while start < range.upperBound {
        let end = min(range.upperBound, start + batch)
        _ = try store.appendAll((start..<end).map { (benchRecord($0), nil) })
        start = end
    }
}

func runLedgerBench(_ options: LedgerOptions) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-ledger-\(getpid())").path
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { if !options.keep { try? FileManager.default.removeItem(atPath: folder) } }
    let store = try SQLiteStore(directory: folder)
    print("ledger: \(options.appends) appends, proofs on \(options.proofLeaves) leaves, \(cores) cores, \(folder)")

    // Pairs: the same leaves into the in-memory log (leaf and node hashing only), and
    // the next `appends` leaves into SQLite, order alternating.
    var appended = 0
    var memoryRoot: TreeHash?
    let pairs = try interleaved(options.pairs, { () -> Double in
        var memory = InMemoryHashStore()
        let time = seconds { for position in 0..<options.appends { memory.append(entry: benchRecord(position).envelope) } }
        if memoryRoot == nil { memoryRoot = try? StoredHashes.treeHash(treeSize: memory.treeSize, reader: memory) }
        return Double(options.appends) / time
    }, { () throws -> Double in
        let range = appended..<(appended + options.appends)
        appended += options.appends
        return Double(options.appends) / (try seconds { try append(store, range, batch: options.batch) })
    })
    let ratio = PairedRatio(ours: pairs.map(\.b), reference: pairs.map(\.a))
    let rate = ratio.ours
    print(String(format: "  append %d leaves × %d pairs (record + leaf, %d per transaction): median %@ leaves (goal ≥ 100,000/s) %@",
                 options.appends, pairs.count, options.batch, format(rate), rate >= 100_000 ? "OK" : "BELOW GOAL"))
    report("  vs in-memory log (hashing only)", ratio, goal: 0)
    let sqliteRoot = try store.treeHash(size: Int64(options.appends))
    precondition(sqliteRoot == memoryRoot, "the SQLite log and the in-memory log disagree")
    let storage = ledgerStorage(store.path)
    print(String(format: "  storage: ledger_hashes %.1f bytes/leaf (%.2f hashes/leaf × 32 bytes + B-tree), records %.1f bytes/leaf",
                 Double(storage.ledger) / Double(appended), 2.0, Double(storage.records) / Double(appended)))

    if options.proofLeaves > appended {
        let growTime = try seconds { try append(store, appended..<options.proofLeaves, batch: options.batch) }
        print(String(format: "  grown to %d leaves in %.0f s (%@ leaves/s)", options.proofLeaves, growTime,
                     format(Double(options.proofLeaves - appended) / growTime)))
    }
    let size = try store.treeSize()
    let root = try store.treeHash(size: size)
    var generator = SystemRandomNumberGenerator()
    var inclusion: [Double] = [], consistency: [Double] = [], point: [Double] = []
    for _ in 0..<options.proofs {
        let leaf = Int64.random(in: 0..<size, using: &generator)
        let hashCount = StoredHashes.count(treeSize: size)
        let started = nanos()
        _ = try store.logHashes([Int64.random(in: 0..<hashCount, using: &generator)])
        let read = nanos()
        let proof = try store.inclusionProof(leaf: leaf, treeSize: size)
        let proved = nanos()
        let old = Int64.random(in: 1...size, using: &generator)
        let consistent = try store.consistencyProof(oldSize: old, newSize: size)
        let done = nanos()
        point.append(Double(read - started) / 1000)
        inclusion.append(Double(proved - read) / 1000)
        consistency.append(Double(done - proved) / 1000)
        // Every proof checks out (outside the timing).
        if inclusion.count <= 100 {
            let leafHash = try store.logHashes([StoredHashes.index(level: 0, index: leaf)])[0]
            try proof.verify(leafHash: leafHash, root: root)
            try consistent.verify(oldRoot: try store.treeHash(size: old), newRoot: root)
        }
    }
    for (name, values) in [("one stored-hash read (reference)", point), ("inclusion proof", inclusion), ("consistency proof", consistency)] {
        let sorted = values.sorted()
        let p99 = percentile(sorted, 0.99)
        print(String(format: "  %@ on %d leaves: p50 %.0f µs, p99 %.0f µs, max %.0f µs (goal p99 < 1000 µs) %@",
                     name.padding(toLength: 34, withPad: " ", startingAt: 0), size, percentile(sorted, 0.5), p99, sorted.last ?? 0,
                     name.hasPrefix("one") ? "" : (p99 < 1000 ? "OK" : "BELOW GOAL")))
    }
}

/// Bytes of the ledger_hashes and records B-trees (sqlite3's dbstat).
private func ledgerStorage(_ database: String) -> (ledger: Int, records: Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", database, "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ('ledger_hashes', 'records') GROUP BY name"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var sizes: [String: Int] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: "|")
        if parts.count == 2 { sizes[String(parts[0])] = Int(parts[1]) }
    }
    return (sizes["ledger_hashes"] ?? 0, sizes["records"] ?? 0)
}
