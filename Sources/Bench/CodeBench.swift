// `yima-bench codes`: code issuance, verification and QR rendering against the
// physical limits of this machine, measured in the same run (`openssl speed` for
// signatures, libqrencode called directly for QR encoding).
// Options: [--codes N] [--qr N] [--alg ed25519|p256|sm2]
import CQRencode
import Dispatch
import Foundation
import YimaCodes
import YimaCrypto
import YimaService

struct CodeOptions {
    static let names: Set<String> = ["--codes", "--qr", "--alg"]

    var codes = 100_000
    var qrCodes = 20_000
    var algorithm = SignatureAlgorithm.ed25519

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--codes": codes = Int(iterator.next() ?? "") ?? codes
            case "--qr": qrCodes = Int(iterator.next() ?? "") ?? qrCodes
            case "--alg": algorithm = SignatureAlgorithm(rawValue: iterator.next() ?? "") ?? algorithm
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// Runs the codes benchmark, printing as it goes; returns its lines for a summary table.
func runCodeBench(_ options: CodeOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    func row(_ label: String, ours: Double, reference: Double, goal: Double) {
        report(label, ours: ours, reference: reference, goal: goal)
        let ratio = ours / reference
        rows.append(SummaryRow("codes: " + label, String(format: "%.0f/s = %.1f%%", ours, ratio * 100),
                               goal: String(format: "≥ %.0f%%", goal * 100), verdict: ratio >= goal ? "OK" : "BELOW"))
    }

    print("yima-bench on \(cores) cores, \(options.algorithm.displayName), \(options.codes) codes")

    // 1. Reference rates, measured now on this machine.
    let speed = opensslSpeed(options.algorithm)
    print(String(format: "  openssl speed (1 core): sign %.0f/s, verify %.0f/s", speed.sign, speed.verify))

    // 2. Issue: serial, signed message, signature, URI, codes.txt, on every core.
    let key = try PrivateKey.generate(options.algorithm)
    let base = try ResolverBase("https://YIMA.EXAMPLE.COM")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let out = scratch + "/codes"
    let issueSeconds = try seconds {
        _ = try CodeIssuance.run(IssueRequest(key: key, base: base, gtin: "09506000134352", lot: "ABCDE12345",
                                              count: options.codes, outputDirectory: out, formats: [.txt]))
    }
    let codes = try String(contentsOfFile: out + "/codes.txt", encoding: .utf8).split(separator: "\n").map(String.init)
    precondition(codes.count == options.codes)

    // 3. Verify them all.
    let trusted = TrustedKeys([key.publicKey])
    var checks: [CodeCheck] = []
    let verifySeconds = seconds { checks = CodeVerification.run(codes, trusted: trusted) }
    precondition(checks.allSatisfy(\.verdict.isGenuine), "a freshly issued code did not verify")

    // The signing-and-encoding pipeline alone: random serial, signed message,
    // signature, URI, on every core, as `yima issue` runs it but without the file.
    let issuer = UnitCodeIssuer(key: key, base: base)
    let pipelineSeconds = seconds {
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let signer = try! UnitCodeBatchSigner(issuer: issuer, gtin: "09506000134352", lot: "ABCDE12345")
            let share = options.codes * (worker + 1) / cores - options.codes * worker / cores
            for value in UnitCodeAlphabet.randomSerialValues(share) {
                _ = try! signer.issue(serial: UnitCodeAlphabet.serial(from: value))
            }
        }
    }
    print("signing and encoding:")
    row("sign + encode codes, all cores", ours: Double(options.codes) / pipelineSeconds,
        reference: speed.sign * Double(cores), goal: 0.9)
    row("yima issue end to end (codes.txt)", ours: Double(options.codes) / issueSeconds,
        reference: speed.sign * Double(cores), goal: 0.9)
    print("verifying (yima verify):")
    row("verify codes, all cores", ours: Double(options.codes) / verifySeconds,
        reference: speed.verify * Double(cores), goal: 0.9)

    // 4. QR: libqrencode alone vs our matrix + SVG, and + PNG, same codes, every core.
    let sample = Array(codes.prefix(options.qrCodes))
    let rawSeconds = seconds {
        parallel(sample.count) { index in
            let symbol = QRcode_encodeString(sample[index], 0, QR_ECLEVEL_Q, QR_MODE_8, 1)
            QRcode_free(symbol)
        }
    }
    let svgSeconds = seconds {
        parallel(sample.count) { index in
            _ = try! QRMatrix.encode(sample[index]).svgBytes()
        }
    }
    let pngSeconds = seconds {
        parallel(sample.count) { index in
            _ = try! QRMatrix.encode(sample[index]).png(moduleSize: 4)
        }
    }
    let rawRate = Double(sample.count) / rawSeconds
    print("QR rendering (\(sample.count) codes):")
    row("QRMatrix + SVG", ours: Double(sample.count) / svgSeconds, reference: rawRate, goal: 0.9)
    row("QRMatrix + PNG (4 px/module)", ours: Double(sample.count) / pngSeconds, reference: rawRate, goal: 0.9)

    // 5. The label-size figure: 16-character host, 14-digit GTIN, 10-character lot,
    //    12-character serial, 64-byte signature, level Q.
    let figure = try UnitCodeIssuer(key: key, base: base).issue(gtin: "09506000134352", lot: "ABCDE12345")
    let matrix = try QRMatrix.encode(figure.uri, errorCorrection: .Q)
    print("label size: \(figure.uri.count)-character code → QR version \(matrix.version) (\(matrix.size)x\(matrix.size) modules) at level Q (goal ≤ 9)")
    rows.append(SummaryRow("codes: QR version of a label", "\(matrix.version)", goal: "≤ 9", verdict: matrix.version <= 9 ? "OK" : "ABOVE"))
    return rows
}
