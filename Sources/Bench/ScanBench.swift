// `yima-bench scans`: writing scan counts the way the lookup server's ScanRecorder
// flushes them (SQLiteStore.recordScans, one transaction per batch), on a store of N
// issued codes. The same scans go through the per-scan reference writer and the batch
// writer, each on its own copy of the seeded store; the two databases must end equal
// row for row (compared with the sqlite3 CLI).
import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

struct ScanOptions {
    var units = 1_000_000
    var scans = 200_000
    var batch = 2_000
    /// Distinct clients (address hashes) that scan.
    var clients = 2_000
    /// Share of scans that repeat one of the last `hot` units scanned (a shopper
    /// re-scanning, a label photographed and passed around).
    var repeatShare = 0.2
    var hot = 5_000
    /// Scans per second of simulated time (times advance by this rate, with jitter).
    var rate = 10_000
    /// A folder keeping the seeded store between runs.
    var seedCache: String?
    var keep = false
    /// `both`, or one writer alone (`reference`, `batch`) for profiling.
    var writers = "both"

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        func number(_ current: Int) -> Int { Int(iterator.next()?.replacingOccurrences(of: "_", with: "") ?? "") ?? current }
        while let argument = iterator.next() {
            switch argument {
            case "--units": units = max(1, number(units))
            case "--scans": scans = number(scans)
            case "--batch": batch = max(1, number(batch))
            case "--clients": clients = max(1, number(clients))
            case "--repeat": repeatShare = Double(iterator.next() ?? "") ?? repeatShare
            case "--rate": rate = max(1, number(rate))
            case "--seed-cache": seedCache = iterator.next()
            case "--keep": keep = true
            case "--writer": writers = iterator.next() ?? writers
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

func runScanBench(_ options: ScanOptions) throws -> [SummaryRow] {
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    print("yima-bench scans: \(options.scans) scans of \(options.units) issued codes in batches of \(options.batch), "
          + "\(options.clients) clients, \(Int(options.repeatShare * 100)) % repeats (load average \(load) at start)")
    let lot = "SCAN-01"
    let seeded = try seedScanStore(options, lot: lot)
    defer { if !options.keep && options.seedCache == nil { try? FileManager.default.removeItem(atPath: seeded) } }
    let serials = try SQLiteStore(directory: seeded).serials(gtin: StoreFixture.gtin, lot: lot)
    precondition(serials.count == options.units, "the seeded store has \(serials.count) codes, not \(options.units)")
    let scans = scanSequence(options, serials: serials, lot: lot)
    print("  \(Set(scans.map(\.serial)).count) distinct units scanned, \(Set(scans.map { $0.serial + "/" + Data($0.client).base64EncodedString() }).count) distinct (unit, client) pairs")

    typealias Writer = (SQLiteStore, [ScanObservation]) throws -> Void
    let writers: [(name: String, write: Writer)] = [
        ("per scan (reference, before)", { try $0.recordScansOneByOne($1) }),
        ("batch (recordScans)", { try $0.recordScans($1) }),
    ].enumerated().filter { options.writers == "both" || options.writers == ["reference", "batch"][$0.offset] }.map(\.element)
    // Each writer on its own copy of the seeded store; the writers take turns batch by
    // batch (first one, then the other first), so load from elsewhere hits both alike.
    var stores: [SQLiteStore] = []
    var copies: [String] = []
    defer { if !options.keep { for copy in copies { try? FileManager.default.removeItem(atPath: copy) } } }
    for index in writers.indices {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-scans-\(getpid())-\(index)").path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: seeded, toPath: copy)
        copies.append(copy)
        stores.append(try SQLiteStore(directory: copy))
    }
    var wall = [Double](repeating: 0, count: writers.count), cpu = wall
    // Each batch is one interleaved pair: the CPU time of each writer on it.
    var pairCPU: [[Double]] = []
    for (number, start) in stride(from: 0, to: scans.count, by: options.batch).enumerated() {
        let batch = Array(scans[start..<min(scans.count, start + options.batch)])
        var pair = [Double](repeating: 0, count: writers.count)
        for turn in writers.indices {
            let index = number % 2 == 0 ? turn : writers.count - 1 - turn
            let cpuBefore = threadCPUSeconds()
            wall[index] += try seconds { try writers[index].write(stores[index], batch) }
            pair[index] = threadCPUSeconds() - cpuBefore
            cpu[index] += pair[index]
        }
        pairCPU.append(pair)
    }
    var results: [(name: String, wall: Double, cpu: Double, dump: Data)] = []
    for (index, writer) in writers.enumerated() {
        let perScan = Double(scans.count)
        print(String(format: "  %@ %10.0f scans/s   %6.2f µs/scan wall   %6.2f µs/scan CPU", writer.name.padding(toLength: 30, withPad: " ", startingAt: 0),
                     perScan / wall[index], wall[index] / perScan * 1e6, cpu[index] / perScan * 1e6))
        results.append((writer.name, wall[index], cpu[index], try dumpScanTables(stores[index].path)))
    }
    guard results.count == 2 else { return [] }
    let identical = results.dropFirst().allSatisfy { $0.dump == results[0].dump }
    // Per-scan CPU over batch CPU, batch by batch: the median pair ratio with its range.
    let pairs = PairedRatio(ours: pairCPU.map { $0[0] }, reference: pairCPU.map { $0[1] })
    let speedup = pairs.median
    print(String(format: "  batch vs per scan: %.2f× less CPU per scan (median of %d batch pairs, %.2f–%.2f×), %.2f× wall overall; tables scans and scan_clients identical: %@",
                 speedup, pairs.ratios.count, pairs.min, pairs.max, results[0].wall / results[1].wall, identical ? "yes" : "NO"))
    return [
        SummaryRow("scans: per-scan writer (before)", String(format: "%.2f µs/scan CPU", results[0].cpu / Double(scans.count) * 1e6)),
        SummaryRow("scans: batch writer", String(format: "%.2f µs/scan CPU, %.2f× less (%.2f–%.2f×)", results[1].cpu / Double(scans.count) * 1e6,
                                                 speedup, pairs.min, pairs.max),
                   goal: "≥ 3× less CPU", verdict: speedup >= 3 ? "OK" : "BELOW"),
        SummaryRow("scans: databases equal", identical ? "yes" : "NO", goal: "yes", verdict: identical ? "OK" : "WRONG"),
    ]
}

/// A folder holding `yima.sqlite` with `options.units` codes issued for batch `lot`
/// through `Issuance.issueUnits` (reused from `--seed-cache` when it has one).
func seedScanStore(_ options: ScanOptions, lot: String) throws -> String {
    let cached = options.seedCache.map { ($0 as NSString).appendingPathComponent("units-\(options.units)") }
    if let cached, FileManager.default.fileExists(atPath: (cached as NSString).appendingPathComponent(SQLiteStore.fileName)) {
        print("  reusing the seeded store in \(cached)")
        return cached
    }
    print("  seeding \(options.units) codes (Issuance.issueUnits)…")
    let fixture = try StoreFixture("scans")
    defer { fixture.remove() }
    let issued = try issueIntoStore(fixture, batchKey: try fixture.createBatch(lot), count: options.units)
    print(String(format: "  seeded in %.1f s", issued.seconds))
    let target = cached ?? FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-scans-\(getpid())-seed").path
    try? FileManager.default.removeItem(atPath: target)
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    // A consistent copy of the database alone (the fixture's store is still open).
    let result = try runTool("sqlite3", [(fixture.directory as NSString).appendingPathComponent(SQLiteStore.fileName),
                                         ".backup '\((target as NSString).appendingPathComponent(SQLiteStore.fileName))'"])
    precondition(result.status == 0, "sqlite3 .backup failed")
    return target
}

/// The scans in server order: times rise at `options.rate` per second with up to 2 s
/// of jitter (requests finish out of order), units are random codes or repeats of
/// recent ones, clients are random among `options.clients`.
func scanSequence(_ options: ScanOptions, serials: [String], lot: String) -> [ScanObservation] {
    var random = SystemRandomNumberGenerator()
    let clients = (0..<options.clients).map { _ in (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) } }
    var recent: [Int] = []
    recent.reserveCapacity(options.hot)
    let start: Int64 = 1_790_000_000
    return (0..<options.scans).map { index in
        let unit: Int
        if !recent.isEmpty && Double.random(in: 0..<1, using: &random) < options.repeatShare {
            unit = recent[Int.random(in: 0..<recent.count, using: &random)]
        } else {
            unit = Int.random(in: 0..<serials.count, using: &random)
            if recent.count < options.hot { recent.append(unit) } else { recent[index % options.hot] = unit }
        }
        let time = start + Int64(index / options.rate) + Int64.random(in: -2...0, using: &random)
        return ScanObservation(gtin: StoreFixture.gtin, lot: lot, serial: serials[unit],
                               client: clients[Int.random(in: 0..<clients.count, using: &random)], time: time)
    }
}

/// Both scan tables in key order, as the sqlite3 CLI prints them.
func dumpScanTables(_ database: String) throws -> Data {
    let result = try runTool("sqlite3", ["-readonly", database,
                                         "SELECT * FROM scans ORDER BY gtin, lot, serial;"
                                         + "SELECT gtin, lot, serial, hex(client), first_at, count FROM scan_clients ORDER BY gtin, lot, serial, client;"])
    precondition(result.status == 0, "sqlite3 failed on \(database)")
    return result.stdout
}

func runTool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

/// CPU time of the calling thread (the flush runs on one thread, as on the server).
func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
