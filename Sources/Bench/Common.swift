// Helpers shared by the benchmarks: timing, `openssl speed` as the reference rate,
// peak memory from /proc, percentiles and the closing summary table.
import Dispatch
import Foundation
import YimaCrypto

let cores = ProcessInfo.processInfo.activeProcessorCount

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Monotonic nanoseconds, for timing single operations.
@inline(__always) func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func format(_ rate: Double) -> String { String(format: "%10.0f/s", rate) }

/// Prints one interleaved ratio: medians of both rates, the median pair ratio with its
/// range, and the verdict on the median.
func report(_ label: String, _ ratio: PairedRatio, goal: Double) {
    print(String(format: "  %@ %@ vs %@ = %@ (goal ≥ %.0f%%) %@", label.padding(toLength: 34, withPad: " ", startingAt: 0),
                 format(ratio.ours), format(ratio.reference), ratio.text, goal * 100, ratio.median >= goal ? "OK" : "BELOW GOAL"))
}

// MARK: Interleaved A/B

/// Runs `a` and `b` back to back `pairs` times, alternating which goes first (AB, BA,
/// AB, …), so that a slow spell of a shared machine falls on both sides of a pair
/// (docs/benchmarks.md §Method).
func interleaved<A, B>(_ pairs: Int, _ a: () throws -> A, _ b: () throws -> B) rethrows -> [(a: A, b: B)] {
    var results: [(a: A, b: B)] = []
    for pair in 0..<max(1, pairs) {
        if pair % 2 == 0 {
            let x = try a()
            results.append((x, try b()))
        } else {
            let y = try b()
            results.append((try a(), y))
        }
    }
    return results
}

/// Our rate over the reference's, per pair: the median ratio, with the smallest and
/// largest, and the median of each side's rate.
struct PairedRatio {
    let ratios: [Double]
    let ours: Double
    let reference: Double

    init(ours: [Double], reference: [Double]) {
        ratios = zip(ours, reference).map { $0 / $1 }
        self.ours = percentile(ours.sorted(), 0.5)
        self.reference = percentile(reference.sorted(), 0.5)
    }

    var median: Double { percentile(ratios.sorted(), 0.5) }
    var min: Double { ratios.min() ?? .nan }
    var max: Double { ratios.max() ?? .nan }
    /// "87.3% (82.0–91.4%, 5 pairs)"
    var text: String { String(format: "%.1f%% (%.1f–%.1f%%, %d pairs)", median * 100, min * 100, max * 100, ratios.count) }
}

/// `openssl speed` for one algorithm on one core: (sign/s, verify/s).
func opensslSpeed(_ algorithm: SignatureAlgorithm, seconds: Int = 3) -> (sign: Double, verify: Double) {
    let (name, match): (String, String) = switch algorithm {
    case .ed25519: ("ed25519", "Ed25519")
    case .p256: ("ecdsap256", "nistp256")
    case .sm2: ("sm2", "SM2")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "speed", "-seconds", "\(seconds)", name]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try! process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // The result line ends "... <sign/s> <verify/s>".
    guard let line = output.split(separator: "\n").last(where: { $0.contains(match) && $0.contains("s ") }) else {
        fatalError("could not read `openssl speed \(name)` output:\n\(output)")
    }
    let numbers = line.split(separator: " ").compactMap { Double($0) }
    return (numbers[numbers.count - 2], numbers[numbers.count - 1])
}

/// Runs `body(i)` for i in 0..<count on every core.
func parallel(_ count: Int, _ body: @Sendable (Int) -> Void) {
    let slices = cores * 4
    DispatchQueue.concurrentPerform(iterations: slices) { slice in
        for index in (count * slice / slices)..<(count * (slice + 1) / slices) { body(index) }
    }
}

// MARK: Memory

/// A `Vm…` figure of /proc/self/status in bytes (VmHWM: peak resident set; VmRSS: now).
func procStatus(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let number = line.split(separator: " ").compactMap { Int($0) }.first
        return number.map { $0 * 1024 }
    }
    return nil
}

/// Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`), so a
/// phase's peak is its own. False when the kernel refuses; VmHWM is then process-wide.
func resetPeakMemory() -> Bool {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
    let ok = fputs("5", file) >= 0
    return fclose(file) == 0 && ok
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

// MARK: Statistics

/// The p-th percentile (0...1) of `sorted`, nearest rank.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }

/// Microseconds, printed.
func micros(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1e6) }
func millis(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1e3) }

// MARK: Summary

/// One line of the closing table.
struct SummaryRow {
    var figure: String
    var value: String
    var goal: String
    var verdict: String

    init(_ figure: String, _ value: String, goal: String = "—", verdict: String = "") {
        self.figure = figure
        self.value = value
        self.goal = goal
        self.verdict = verdict
    }
}

func printSummary(_ rows: [SummaryRow]) {
    guard !rows.isEmpty else { return }
    func width(_ column: (SummaryRow) -> String, _ title: String) -> Int {
        max(title.count, rows.map { column($0).count }.max() ?? 0)
    }
    let w0 = width(\.figure, "figure"), w1 = width(\.value, "measured"), w2 = width(\.goal, "goal")
    func line(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
        "| " + a.padding(toLength: w0, withPad: " ", startingAt: 0) + " | "
            + String(repeating: " ", count: max(0, w1 - b.count)) + b + " | "
            + c.padding(toLength: w2, withPad: " ", startingAt: 0) + " | " + d.padding(toLength: 7, withPad: " ", startingAt: 0) + " |"
    }
    print("\nsummary:")
    print(line("figure", "measured", "goal", "verdict"))
    print("|" + String(repeating: "-", count: w0 + 2) + "|" + String(repeating: "-", count: w1 + 1) + ":|"
          + String(repeating: "-", count: w2 + 2) + "|---------|")
    for row in rows { print(line(row.figure, row.value, row.goal, row.verdict)) }
}
