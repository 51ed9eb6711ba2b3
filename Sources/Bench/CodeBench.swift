// `yima-bench codes`: code issuance, verification and QR rendering against the
// physical limits of this machine, measured in the same run (`openssl speed` for
// signatures, libqrencode called directly for QR encoding).
// Each ratio is interleaved: `--pairs` rounds of ours and the reference back to back,
// order alternating, reported as the median pair ratio with its range.
// Options: [--codes N] [--qr N] [--alg ed25519|p256|sm2] [--pairs N]
import CQRencode
import Dispatch
import Foundation
import YimaCodes
import YimaCrypto
import YimaService

struct CodeOptions {
    static let names: Set<String> = ["--codes", "--qr", "--alg", "--pairs"]

    var codes = 100_000
    var qrCodes = 20_000
    var algorithm = SignatureAlgorithm.ed25519
    var pairs = 5

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--codes": codes = Int(iterator.next() ?? "") ?? codes
            case "--qr": qrCodes = Int(iterator.next() ?? "") ?? qrCodes
            case "--alg": algorithm = SignatureAlgorithm(rawValue: iterator.next() ?? "") ?? algorithm
            case "--pairs": pairs = Int(iterator.next() ?? "") ?? pairs
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// Runs the codes benchmark, printing as it goes; returns its lines for a summary table.
func runCodeBench(_ options: CodeOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    func row(_ label: String, _ ratio: PairedRatio, goal: Double) {
        report(label, ratio, goal: goal)
        rows.append(SummaryRow("codes: " + label, String(format: "%.0f/s = %@", ratio.ours, ratio.text),
                               goal: String(format: "≥ %.0f%%", goal * 100), verdict: ratio.median >= goal ? "OK" : "BELOW"))
    }

    print("yima-bench on \(cores) cores, \(options.algorithm.displayName), \(options.codes) codes, \(options.pairs) interleaved pairs")
    let key = try PrivateKey.generate(options.algorithm)
    let base = try ResolverBase("https://YIMA.EXAMPLE.COM")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let issuer = UnitCodeIssuer(key: key, base: base)
    let trusted = TrustedKeys([key.publicKey])

    // Each pair: `openssl speed` (1 s sign, 1 s verify, one core) against ours — the
    // signing pipeline, `yima issue` end to end, and verifying what it issued — on every core.
    struct Ours { var pipeline = 0.0, issue = 0.0, verify = 0.0 }
    var codes: [String] = []
    let pairs = try interleaved(options.pairs, { opensslSpeed(options.algorithm, seconds: 1) }) { () throws -> Ours in
        var ours = Ours()
        // The signing-and-encoding pipeline alone: random serial, signed message,
        // signature, URI, on every core, as `yima issue` runs it but without the file.
        ours.pipeline = Double(options.codes) / seconds {
            DispatchQueue.concurrentPerform(iterations: cores) { worker in
                let signer = try! UnitCodeBatchSigner(issuer: issuer, gtin: "09506000134352", lot: "ABCDE12345")
                let share = options.codes * (worker + 1) / cores - options.codes * worker / cores
                for value in UnitCodeAlphabet.randomSerialValues(share) {
                    _ = try! signer.issue(serial: UnitCodeAlphabet.serial(from: value))
                }
            }
        }
        // Issue: serial, signed message, signature, URI, codes.txt, on every core.
        let out = scratch + "/codes"
        try? FileManager.default.removeItem(atPath: out)
        ours.issue = Double(options.codes) / (try seconds {
            _ = try CodeIssuance.run(IssueRequest(key: key, base: base, gtin: "09506000134352", lot: "ABCDE12345",
                                                  count: options.codes, outputDirectory: out, formats: [.txt]))
        })
        codes = try String(contentsOfFile: out + "/codes.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        precondition(codes.count == options.codes)
        // Verify them all.
        var checks: [CodeCheck] = []
        ours.verify = Double(options.codes) / seconds { checks = CodeVerification.run(codes, trusted: trusted) }
        precondition(checks.allSatisfy(\.verdict.isGenuine), "a freshly issued code did not verify")
        return ours
    }
    let signs = pairs.map { $0.a.sign * Double(cores) }, verifies = pairs.map { $0.a.verify * Double(cores) }
    print(String(format: "  openssl speed (1 core, median of %d): sign %.0f/s, verify %.0f/s", pairs.count,
                 percentile(pairs.map(\.a.sign).sorted(), 0.5), percentile(pairs.map(\.a.verify).sorted(), 0.5)))
    print("signing and encoding:")
    row("sign + encode codes, all cores", PairedRatio(ours: pairs.map(\.b.pipeline), reference: signs), goal: 0.9)
    row("yima issue end to end (codes.txt)", PairedRatio(ours: pairs.map(\.b.issue), reference: signs), goal: 0.9)
    print("verifying (yima verify):")
    row("verify codes, all cores", PairedRatio(ours: pairs.map(\.b.verify), reference: verifies), goal: 0.9)

    // QR: libqrencode alone vs our matrix + SVG, and + PNG, same codes, every core, interleaved.
    let sample = Array(codes.prefix(options.qrCodes))
    let rate = { (body: @Sendable (String) -> Void) -> Double in
        Double(sample.count) / seconds { parallel(sample.count) { index in body(sample[index]) } }
    }
    let raw: @Sendable (String) -> Void = { code in QRcode_free(QRcode_encodeString(code, 0, QR_ECLEVEL_Q, QR_MODE_8, 1)) }
    let svg = interleaved(options.pairs, { rate { _ = try! QRMatrix.encode($0).svgBytes() } }, { rate(raw) })
    let png = interleaved(options.pairs, { rate { _ = try! QRMatrix.encode($0).png(moduleSize: 4) } }, { rate(raw) })
    print("QR rendering (\(sample.count) codes):")
    row("QRMatrix + SVG", PairedRatio(ours: svg.map(\.a), reference: svg.map(\.b)), goal: 0.9)
    row("QRMatrix + PNG (4 px/module)", PairedRatio(ours: png.map(\.a), reference: png.map(\.b)), goal: 0.9)

    // The label-size figure: 16-character host, 14-digit GTIN, 10-character lot,
    //    12-character serial, 64-byte signature, level Q.
    let figure = try UnitCodeIssuer(key: key, base: base).issue(gtin: "09506000134352", lot: "ABCDE12345")
    let matrix = try QRMatrix.encode(figure.uri, errorCorrection: .Q)
    print("label size: \(figure.uri.count)-character code → QR version \(matrix.version) (\(matrix.size)x\(matrix.size) modules) at level Q (goal ≤ 9)")
    rows.append(SummaryRow("codes: QR version of a label", "\(matrix.version)", goal: "≤ 9", verdict: matrix.version <= 9 ? "OK" : "ABOVE"))
    return rows
}
