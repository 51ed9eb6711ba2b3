// `yima-bench store`: provenance records in SQLite through the real service path.
//  1. issue N codes into the store (Issuance.issueUnits): codes/s against
//     `openssl speed ed25519` sign × cores, interleaved (`--pairs`, a fresh batch each
//     pair; the median pair ratio with its range), and peak memory (VmHWM);
//  2. record events (Recording.submit(draft:kind:key:)): events/s, latency by
//     chain length, and the cost per event of signing, rule checking and the append;
//  3. assemble chains (CodeResolver.chain(for:)) for random units of a big batch
//     with a 50-event chain: p50/p99 latency, and bytes on disk per code.
import Dispatch
import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

struct StoreOptions {
    var units = 1_000_000
    var events = 100_000
    // 100 batches would grow chains to 1,000 events; checkRules re-reads the whole
    // history per event, so that run takes over half an hour (docs/benchmarks.md).
    var eventBatches = 1_000
    var chainUnits = 2_000_000
    var chainEvents = 50
    var lookups = 10_000
    var sampleBatches = 200
    var parts: Set<String> = ["issue", "events", "chain"]
    var keep = false
    /// A PostgreSQL superuser URL: the stores are new databases in that cluster instead of SQLite files.
    var postgres: String?
    var engine: String { postgres == nil ? "SQLite" : "PostgreSQL" }
    /// Interleaved pairs of (openssl speed, issuance) for the issuance ratio.
    var pairs = 3

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        func number(_ current: Int) -> Int { Int(iterator.next()?.replacingOccurrences(of: "_", with: "") ?? "") ?? current }
        while let argument = iterator.next() {
            switch argument {
            case "--units": units = number(units)
            case "--events": events = number(events)
            case "--event-batches": eventBatches = max(1, number(eventBatches))
            case "--chain-units": chainUnits = number(chainUnits)
            case "--chain-events": chainEvents = max(1, number(chainEvents))
            case "--lookups": lookups = number(lookups)
            case "--sample-batches": sampleBatches = max(1, number(sampleBatches))
            case "--only": parts = Set((iterator.next() ?? "").split(separator: ",").map(String.init))
            case "--keep": keep = true
            case "--postgres": postgres = iterator.next()
            case "--pairs": pairs = max(1, number(pairs))
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

func runStoreBench(_ options: StoreOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    print("yima-bench store on \(cores) cores (load average \(load) at start; other builds on a shared machine make figures noisy)")
    if options.parts.contains("issue") { rows += try issueBench(options) }
    if options.parts.contains("events") { rows += try eventBench(options) }
    if options.parts.contains("chain") { rows += try chainBench(options) }
    return rows
}

// MARK: 1. Issue codes into the store

/// Issues `count` codes for a fresh batch through `Issuance.issueUnits`; returns
/// (seconds, peak bytes during the call, whether the peak is the call's own).
func issueIntoStore(_ fixture: StoreFixture, batchKey: String, count: Int) throws -> (seconds: Double, peak: Int, own: Bool) {
    let lot = String(batchKey.split(separator: "/")[1])
    let request = IssueRequest(key: fixture.producer, base: try ResolverBase("https://YIMA.EXAMPLE.COM"),
                               gtin: StoreFixture.gtin, lot: lot, count: count,
                               outputDirectory: (fixture.directory as NSString).appendingPathComponent("labels-\(lot)"),
                               formats: [.txt])
    let own = resetPeakMemory()
    var summary: BatchIssueSummary?
    let elapsed = try seconds { summary = try fixture.useCases.issuance.issueUnits(batch: BatchReference(key: batchKey), request: request) }
    precondition(summary?.count == count)
    return (elapsed, procStatus("VmHWM") ?? 0, own)
}

func issueBench(_ options: StoreOptions) throws -> [SummaryRow] {
    let count = options.units
    print("1. issue \(count) codes into \(options.engine) (Issuance.issueUnits, codes.txt only, no labels):")
    let fixture = try StoreFixture("issue", postgres: options.postgres)
    defer { if !options.keep { fixture.remove() } }
    let batchKey = try fixture.createBatch("ISSUE-01")
    let baseline = procStatus("VmRSS") ?? 0

    // Pairs: `openssl speed` (1 s, one core) × cores, then a fresh batch issued, order alternating.
    var lots = 0
    let pairs = try interleaved(options.pairs, { opensslSpeed(.ed25519, seconds: 1).sign * Double(cores) }) {
        lots += 1
        return try issueIntoStore(fixture, batchKey: lots == 1 ? batchKey : fixture.createBatch(String(format: "ISSUE-%02d", lots)),
                                  count: count)
    }
    let ratio = PairedRatio(ours: pairs.map { Double(count) / $0.b.seconds }, reference: pairs.map(\.a))
    let (elapsed, peak, own) = pairs[0].b
    let rate = ratio.ours
    report("codes into the store, all cores", ratio, goal: 0.8)
    print("  peak memory (VmHWM) \(megabytes(peak)) (goal < 200 MB) \(peak < 200 * 1_048_576 ? "OK" : "ABOVE GOAL"); RSS before \(megabytes(baseline))"
          + (own ? "" : " — could not reset VmHWM, figure is the process's peak so far"))

    // The same signing and encoding without the store, on every core (as `yima-bench codes`
    // measures it; CodeIssuance.run is not used: it stops after its first 16,384-code window).
    let issuer = UnitCodeIssuer(key: fixture.producer, base: try ResolverBase("https://YIMA.EXAMPLE.COM"))
    let mintOnly = seconds {
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let signer = try! UnitCodeBatchSigner(issuer: issuer, gtin: StoreFixture.gtin, lot: "ISSUE-02")
            let share = count * (worker + 1) / cores - count * worker / cores
            for value in UnitCodeAlphabet.randomSerialValues(share) {
                _ = try! signer.sign(serial: UnitCodeAlphabet.serial(from: value))
            }
        }
    }
    let storeShare = max(0, elapsed - mintOnly)
    print(String(format: "  where the time goes: signing + encoding alone %.2f s (%.0f/s); the rest (serial set, codes.txt, SQLite inserts, commit) adds %.2f s = %.1f µs/code (%.0f%% of the total)",
                 mintOnly, Double(count) / mintOnly, storeShare, storeShare / Double(count) * 1e6, storeShare / elapsed * 100))
    if options.postgres == nil {
        let bytes = fixture.databaseBytes()
        print(String(format: "  database after: %@ + WAL %@ = %.0f bytes/code", megabytes(bytes.main), megabytes(bytes.wal),
                     Double(bytes.main + bytes.wal) / Double(count)))
    }
    return [
        SummaryRow("store: codes issued into \(options.engine) (\(count))", String(format: "%.0f/s = %@", rate, ratio.text),
                   goal: "≥ 80% of sign×cores", verdict: ratio.median >= 0.8 ? "OK" : "BELOW"),
        SummaryRow("store: peak memory issuing \(count)", megabytes(peak), goal: "< 200 MB",
                   verdict: peak < 200 * 1_048_576 ? "OK" : "ABOVE"),
        SummaryRow("store: issuance time not signing", String(format: "%.0f%% (%.1f µs/code)", storeShare / elapsed * 100,
                                                                  storeShare / Double(count) * 1e6)),
    ]
}

// MARK: 2. Record events

func eventBench(_ options: StoreOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    let batches = options.eventBatches, total = options.events
    print("2. record \(total) care events across \(batches) batches into \(options.engine) (Recording.submit(draft:kind:key:)):")
    let fixture = try StoreFixture("events", postgres: options.postgres)
    defer { if !options.keep { fixture.remove() } }
    let lots = (0..<batches).map { String(format: "EV-%05d", $0) }
    for lot in lots { try fixture.createBatch(lot) }
    // Times increase by one second per event and end a day in the past.
    let start = Int64(Date().timeIntervalSince1970) - 86_400 - Int64(total)
    let drafts = (0..<total).map { StoreFixture.careDraft(lot: lots[$0 % batches], time: start + Int64($0), note: $0) }

    var latency = [Double](repeating: 0, count: total)
    let elapsed = try seconds {
        for (index, draft) in drafts.enumerated() {
            let begin = nanos()
            try fixture.useCases.recording.submit(draft: draft, kind: .event, key: fixture.producer)
            latency[index] = Double(nanos() - begin) / 1e9
        }
    }
    let rate = Double(total) / elapsed
    print(String(format: "  %.0f events/s (%.2f ms each on average), chains grow to %d events", rate, elapsed / Double(total) * 1e3,
                 (total + batches - 1) / batches))
    rows.append(SummaryRow("events: submit into \(options.engine) (\(total) over \(batches) batches)", String(format: "%.0f/s", rate)))
    // Latency by how many events the batch already had.
    let length = (total + batches - 1) / batches
    var bands = [1, 10, 50, 100, 250, 500, 1000, 2000, 5000].filter { $0 <= length }
    if bands.last != length { bands.append(length) }
    print("  submit latency by chain length (events already in the batch):")
    for band in bands {
        let lower = max(0, band - 10), upper = band   // positions lower..<upper
        let samples = (0..<total).filter { $0 / batches >= lower && $0 / batches < upper }.map { latency[$0] }.sorted()
        print(String(format: "    %5d–%-5d mean %@  p50 %@  p99 %@", lower, upper - 1, millis(mean(samples)),
                     millis(percentile(samples, 0.5)), millis(percentile(samples, 0.99))))
    }

    // The cost of each step, at fixed chain lengths, on fresh batches.
    let decomposition = try StoreFixture("steps")
    defer { if !options.keep { decomposition.remove() } }
    let sampleLots = (0..<options.sampleBatches).map { String(format: "ST-%05d", $0) }
    for lot in sampleLots { try decomposition.createBatch(lot) }
    var clock = Int64(Date().timeIntervalSince1970) - 86_400 * 30
    var eventsSoFar = 0
    for target in [10, 50] {
        // Grow every sample batch to `target` events through the real path.
        while eventsSoFar < target {
            for lot in sampleLots {
                clock += 1
                try decomposition.useCases.recording.submit(draft: StoreFixture.careDraft(lot: lot, time: clock, note: eventsSoFar),
                                                 kind: .event, key: decomposition.producer)
            }
            eventsSoFar += 1
        }
        let steps = try measureSteps(decomposition, lots: sampleLots, clock: &clock)
        eventsSoFar += 2
        print("  cost per event at chain length \(target) (median of \(sampleLots.count) batches; the append is synchronous=FULL, one fsync'd transaction):")
        for (name, value) in steps {
            print("    \(name.padding(toLength: 46, withPad: " ", startingAt: 0)) \(micros(value))")
            rows.append(SummaryRow("events @\(target): \(name)", micros(value)))
        }
    }
    return rows
}

/// For each batch: one event taken apart step by step (the same calls `submit` makes,
/// through public API), appended with the store's own `append`; then one more through
/// the real `submit(draft:)` for comparison. Returns medians in seconds.
func measureSteps(_ fixture: StoreFixture, lots: [String], clock: inout Int64) throws -> [(String, Double)] {
    let recording = fixture.useCases.recording, store = fixture.store, key = fixture.producer
    var sign: [Double] = [], ed25519: [Double] = [], verify: [Double] = [], read: [Double] = [], decode: [Double] = []
    var check: [Double] = [], append: [Double] = [], real: [Double] = []
    for lot in lots {
        clock += 1
        let draft = StoreFixture.careDraft(lot: lot, time: clock, note: 0)
        // (a) signing: draft → signed envelope (party and chain-head lookups, canonical JSON, Ed25519).
        var t = nanos()
        let envelope = try recording.sign(draft: draft, kind: .event, key: key)
        sign.append(Double(nanos() - t) / 1e9)
        t = nanos()
        _ = try key.sign(envelope.signedMessage)
        ed25519.append(Double(nanos() - t) / 1e9)

        // accept(): decode, find the signing party, verify the signature, find the batch.
        t = nanos()
        guard case .event(let event) = try Record(payload: envelope.payload),
              let partyStored = try store.partyRecord(forKey: envelope.keyID.hex),
              case .party(let party) = try Record(payload: Envelope(encoded: partyStored.envelope).payload),
              let publicKey = party.publicKey(envelope.keyID) else { fatalError("fixture party missing") }
        try envelope.requireValid(with: publicKey)
        let batchKey = event.batch.key
        guard let state = try store.batch(key: batchKey) else { fatalError("batch missing") }
        verify.append(Double(nanos() - t) / 1e9)

        // (b) rule checking, as checkRules does it: read the batch's whole history and its product…
        t = nanos()
        let history = try store.records(batchKey: batchKey)
        guard let productStored = try store.productRecord(gtin: state.gtin) else { fatalError("product missing") }
        read.append(Double(nanos() - t) / 1e9)
        // …decode every record of it…
        t = nanos()
        guard case .batch(let batch) = try Record(payload: Envelope(encoded: history[0].envelope).payload),
              case .product(let product) = try Record(payload: Envelope(encoded: productStored.envelope).payload)
        else { fatalError("history") }
        var prior: [RecordedEvent] = []
        for stored in history.dropFirst() {
            let payload = try Envelope(encoded: stored.envelope).payload
            if case .event(let earlier) = try Record(payload: payload) {
                prior.append(RecordedEvent(id: RecordID(payload: payload), event: earlier))
            }
        }
        let batchRecordID = RecordID(payload: try Envelope(encoded: history[0].envelope).payload)
        decode.append(Double(nanos() - t) / 1e9)
        // …and run the rules.
        t = nanos()
        let context = RuleContext(batch: batch, batchRecordID: batchRecordID, product: product, priorEvents: prior,
                                  actor: party, now: recording.clock.now(), allowedClockSkew: recording.clock.skew)
        try Rules.check(event, in: context)
        check.append(Double(nanos() - t) / 1e9)

        // (c) the SQLite append, with the effects `accept` derives for a care event.
        t = nanos()
        _ = try store.append(NewRecord(id: envelope.recordID.bytes, kind: .event, batchKey: batchKey,
                                       signerKeyID: envelope.keyID.hex, envelope: envelope.encoded,
                                       effects: [.advanceBatch(key: batchKey, time: event.time.rawValue)]),
                             expectedHead: event.previous.bytes)
        append.append(Double(nanos() - t) / 1e9)

        // The whole real path, one event later.
        clock += 1
        t = nanos()
        try recording.submit(draft: StoreFixture.careDraft(lot: lot, time: clock, note: 1), kind: .event, key: key)
        real.append(Double(nanos() - t) / 1e9)
    }
    let parts = [median(sign), median(verify), median(read), median(decode), median(check), median(append)]
    return [
        ("(a) sign: draft → envelope", median(sign)),
        ("    of which Ed25519 signature alone", median(ed25519)),
        ("    verify signer + signature, find batch", median(verify)),
        ("(b) rules: read history + product (SQLite)", median(read)),
        ("(b) rules: decode history", median(decode)),
        ("(b) rules: Rules.check", median(check)),
        ("(c) SQLite append (one transaction)", median(append)),
        ("sum of the steps", parts.reduce(0, +)),
        ("real submit(draft:) one event later", median(real)),
    ]
}

// MARK: 3. Chain assembly

func chainBench(_ options: StoreOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    let count = options.chainUnits
    print("3. chain assembly: a batch with \(count) codes and a \(options.chainEvents)-event chain, \(options.lookups) lookups of random units:")
    let fixture = try StoreFixture("chain")
    defer { if !options.keep { fixture.remove() } }
    let lot = "CHAIN-01"
    let batchKey = try fixture.createBatch(lot)
    // chainEvents − 1 care events in the past; the unit-issuance event makes the last.
    let start = Int64(Date().timeIntervalSince1970) - 86_400 * 10
    for index in 0..<(options.chainEvents - 1) {
        try fixture.useCases.recording.submit(draft: StoreFixture.careDraft(lot: lot, time: start + Int64(index) * 3600, note: index),
                                   kind: .event, key: fixture.producer)
    }
    // One long run, bracketed: `openssl speed` (1 s, × cores) just before and just after it.
    let before = opensslSpeed(.ed25519, seconds: 1).sign * Double(cores)
    let issued = try issueIntoStore(fixture, batchKey: batchKey, count: count)
    let signReference = (before + opensslSpeed(.ed25519, seconds: 1).sign * Double(cores)) / 2
    let issueRate = Double(count) / issued.seconds
    print(String(format: "  issued in %.1f s: %.0f/s = %.1f%% of sign × cores; peak memory %@", issued.seconds, issueRate,
                 issueRate / signReference * 100, megabytes(issued.peak)))
    rows.append(SummaryRow("chain db: codes issued (\(count))", String(format: "%.0f/s = %.1f%% (reference bracketing the run)", issueRate,
                                                                        issueRate / signReference * 100),
                           goal: "≥ 80% of sign×cores", verdict: issueRate / signReference >= 0.8 ? "OK" : "BELOW"))
    rows.append(SummaryRow("chain db: peak memory issuing \(count)", megabytes(issued.peak), goal: "< 200 MB",
                           verdict: issued.peak < 200 * 1_048_576 ? "OK" : "ABOVE"))

    let bytes = fixture.databaseBytes()
    let perCode = Double(bytes.main) / Double(count)
    print(String(format: "  on disk: yima.sqlite %@ (%.0f bytes/code), WAL %@, shm %@", megabytes(bytes.main), perCode,
                 megabytes(bytes.wal), megabytes(bytes.shm)))
    rows.append(SummaryRow("chain db: database bytes per code", String(format: "%.0f B", perCode)))

    let codes = try sampleLines((fixture.directory as NSString).appendingPathComponent("labels-\(lot)/codes.txt"),
                                count: options.lookups)
    let resolver = fixture.useCases.resolver, store = fixture.store
    // Warm up the page cache and the code paths.
    for code in codes.prefix(100) { _ = try resolver.chain(for: code) }
    var latency: [Double] = []
    latency.reserveCapacity(codes.count)
    for code in codes {
        let begin = nanos()
        let chain = try resolver.chain(for: code)
        latency.append(Double(nanos() - begin) / 1e9)
        guard case .genuine = chain.verdict, chain.history.events.count == options.chainEvents else {
            fatalError("chain for \(code): \(chain.verdict), \(chain.history.events.count) events")
        }
    }
    latency.sort()
    let p50 = percentile(latency, 0.5), p99 = percentile(latency, 0.99)
    print("  chain(for:) over \(latency.count) random units: p50 \(millis(p50)), p99 \(millis(p99)) (goal p99 < 2 ms) \(p99 < 0.002 ? "OK" : "ABOVE GOAL"), mean \(millis(mean(latency))), max \(millis(latency.last ?? 0))")
    rows.append(SummaryRow("chain(for:) p50", millis(p50)))
    rows.append(SummaryRow("chain(for:) p99", millis(p99), goal: "< 2 ms", verdict: p99 < 0.002 ? "OK" : "ABOVE"))

    // Where the time goes, step by step, on a sample.
    let sample = Array(codes.prefix(1000))
    var records: [Double] = [], decode: [Double] = [], unit: [Double] = [], codeSignature: [Double] = [], others: [Double] = []
    var verifyChain: [Double] = []
    for scanned in sample {
        let code = try UnitCode.parse(scanned)
        var t = nanos()
        let history = try store.records(batchKey: batchKey)
        records.append(Double(nanos() - t) / 1e9)
        t = nanos()
        for stored in history { _ = try Record(payload: Envelope(encoded: stored.envelope).payload) }
        decode.append(Double(nanos() - t) / 1e9)
        t = nanos()
        guard let row = try store.unit(gtin: code.gtin, lot: code.lot, serial: code.serial) else { fatalError("unit") }
        unit.append(Double(nanos() - t) / 1e9)
        t = nanos()
        guard let partyStored = try store.partyRecord(forKey: row.keyID),
              case .party(let party) = try Record(payload: Envelope(encoded: partyStored.envelope).payload),
              let key = party.publicKeys.first(where: { $0.id.hex == row.keyID })?.key,
              key.isValidSignature(code.signature, for: UnitCode.signedMessage(keyID: key.id, gtin: code.gtin, lot: code.lot, serial: code.serial))
        else { fatalError("code signature") }
        codeSignature.append(Double(nanos() - t) / 1e9)
        t = nanos()
        _ = try store.batch(key: batchKey)
        _ = try store.productRecord(gtin: code.gtin)
        _ = try store.container(of: "\(batchKey)/\(code.serial)")
        others.append(Double(nanos() - t) / 1e9)
        let chain = try resolver.chain(for: scanned)
        t = nanos()
        let problems = resolver.verifyChain(chain)
        verifyChain.append(Double(nanos() - t) / 1e9)
        precondition(problems.isEmpty, "chain does not verify: \(problems)")
    }
    print("  where chain(for:) spends its time (median of \(sample.count)):")
    let steps: [(String, Double)] = [
        ("read \(options.chainEvents + 1) records of the batch (SQLite)", median(records)),
        ("decode them (envelope + record)", median(decode)),
        ("find the unit (SQLite)", median(unit)),
        ("party lookup + code signature check", median(codeSignature)),
        ("batch, product, container lookups (SQLite)", median(others)),
    ]
    for (name, value) in steps { print("    \(name.padding(toLength: 46, withPad: " ", startingAt: 0)) \(micros(value))") }
    let sorted = verifyChain.sorted()
    print("  verifyChain on top (every signature and link, \(options.chainEvents + 1) records): p50 \(millis(percentile(sorted, 0.5))), p99 \(millis(percentile(sorted, 0.99)))")
    rows.append(SummaryRow("verifyChain (\(options.chainEvents + 1) records) p50", millis(percentile(sorted, 0.5))))
    return rows
}

/// `count` lines of a file drawn uniformly at random (reservoir sampling), in file order of drawing.
func sampleLines(_ path: String, count: Int) throws -> [String] {
    guard let file = fopen(path, "r") else { throw ServiceError.input("cannot open \(path)", zh: "无法打开 \(path)") }
    defer { fclose(file) }
    var reservoir: [String] = []
    reservoir.reserveCapacity(count)
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    var seen = 0
    var generator = SystemRandomNumberGenerator()
    while true {
        let length = getline(&line, &capacity, file)
        if length <= 0 { break }
        seen += 1
        if reservoir.count < count {
            reservoir.append(String(cString: line!).trimmingCharacters(in: .newlines))
        } else {
            let slot = Int.random(in: 0..<seen, using: &generator)
            if slot < count { reservoir[slot] = String(cString: line!).trimmingCharacters(in: .newlines) }
        }
    }
    free(line)
    return reservoir.shuffled()
}
