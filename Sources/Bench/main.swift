// yima-bench: measures Yima against the physical limits of this machine, measured in
// the same run. Prints figures; asserts nothing (docs/benchmarks.md).
//
//   yima-bench [codes] [--codes N] [--qr N] [--alg ed25519|p256|sm2]
//       issuance, verification and QR rendering (the default; output as before)
//   yima-bench store [--units N] [--events N] [--event-batches N] [--chain-units N]
//                    [--lookups N] [--only issue,events,chain] [--keep]
//       provenance records in SQLite through the use cases, with a summary table
//   yima-bench labels [--labels N] [--template NAME] [--dpi D]
//       labels per second into PDF, A4 sheets, PNG and ZPL against the bare QR rate
//   yima-bench ledger [--appends N] [--proof-leaves N] [--proofs N] [--batch N] [--keep]
//       the transparency log in SQLite: appends per second, proof latency
//   yima-bench scans [--units N] [--scans N] [--batch N] [--clients N] [--repeat P] [--seed-cache DIR] [--keep]
//       scan counts written as the lookup server flushes them: per-scan reference vs batch writer
//   yima-bench ops sign|verify|envelope COUNT [--alg A]
//       one operation COUNT times on one thread, for callgrind (scripts/bench-instructions.sh)
//   yima-bench http-ceiling FILE PORT
//       Hummingbird serving FILE from memory: the framework's ceiling (bench-server.sh)
//   yima-bench all [codes and store options]
//       both, then one summary table
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "codes"
if arguments.first == command { arguments.removeFirst() }

do {
    switch command {
    case "codes":
        _ = try runCodeBench(CodeOptions(arguments))
    case "store":
        printSummary(try runStoreBench(StoreOptions(arguments)))
    case "labels":
        printSummary(try runLabelBench(LabelOptions(arguments)))
    case "ledger":
        try runLedgerBench(LedgerOptions(arguments))
    case "scans":
        printSummary(try runScanBench(ScanOptions(arguments)))
    case "ops":
        try runInstructionBench(arguments)
    case "http-ceiling":
        serveHTTPCeiling(arguments)
    case "all":
        // Each option goes to the benchmark that knows it.
        var codeArguments: [String] = [], storeArguments: [String] = []
        var index = 0
        while index < arguments.count {
            let takesValue = arguments[index] != "--keep"
            let end = min(arguments.count, index + (takesValue ? 2 : 1))
            if CodeOptions.names.contains(arguments[index]) { codeArguments += arguments[index..<end] }
            else { storeArguments += arguments[index..<end] }
            index = end
        }
        var rows = try runCodeBench(CodeOptions(codeArguments))
        print("")
        rows += try runStoreBench(StoreOptions(storeArguments))
        printSummary(rows)
    default:
        fatalError("unknown command \(command): use codes, store, labels, ledger, scans, ops, http-ceiling or all")
    }
} catch {
    fatalError("yima-bench: \(error)")
}
