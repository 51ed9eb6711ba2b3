// `yima-bench labels`: labels per second into PDF, A4 sheets, PNG and ZPL, against the
// bare QR rendering rate (our matrix + SVG, and + PNG) of the same codes in the same run,
// and the resident memory of a long PDF (it must stay flat: pages stream to the file).
// Each ratio is interleaved: `--pairs` rounds of the output and its QR reference back to
// back, order alternating; the median pair ratio with its range.
// Options: [--labels N] [--template NAME] [--dpi D] [--only pdf,sheets,png,zpl] [--pairs N]
import Foundation
import YimaCodes
import YimaCrypto
import YimaLabels

struct LabelOptions {
    var labels = 5_000
    var template = "40x30"
    var dpi = 203
    var only: Set<String> = ["pdf", "sheets", "png", "zpl"]
    var pairs = 3

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--labels": labels = Int(iterator.next() ?? "") ?? labels
            case "--template": template = iterator.next() ?? template
            case "--dpi": dpi = Int(iterator.next() ?? "") ?? dpi
            case "--only": only = Set((iterator.next() ?? "").split(separator: ",").map(String.init))
            case "--pairs": pairs = max(1, Int(iterator.next() ?? "") ?? pairs)
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

func runLabelBench(_ options: LabelOptions) throws -> [SummaryRow] {
    var rows: [SummaryRow] = []
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/labels").path
    let template = try LabelTemplate.load(options.template, from: folder)
    let key = try PrivateKey.generate(.ed25519)
    let issuer = UnitCodeIssuer(key: key, base: try ResolverBase("https://TRACE.MAOXIAN.GOV.CN"))
    let codes = try (0..<options.labels).map { _ in try issuer.issue(gtin: "02951322300010", lot: "MX-2026-APL-07") }
    func content(_ code: UnitCode) -> LabelContent {
        LabelContent(code: code.uri, fields: [
            .product: "红富士苹果", .producer: "茂县凤仪镇果椒专业合作社", .origin: "凤仪镇坪头村 3 号地块",
            .lot: code.lot, .date: "2026-10-08", .gtin: code.gtin, .shortCode: ShortCode(serial: code.serial)?.description ?? "",
        ])
    }
    print("yima-bench labels: \(options.labels) labels, template \(options.template), \(options.dpi) dpi, one core")

    // References: the bare QR of the same codes, our matrix as SVG and as PNG, one core (label output is one stream).
    let qrSVG = { Double(codes.count) / seconds { for code in codes { _ = try! QRMatrix.encode(code.uri).svgBytes() } } }
    let qrPNG = { Double(codes.count) / seconds { for code in codes { _ = try! QRMatrix.encode(code.uri).png(moduleSize: 3) } } }

    // The label's SVG alone (QR placed on dots, text fitted, Mustache): what every output starts from.
    let renderer = try LabelRenderer(template: template, dpi: options.dpi)
    let svg = try interleaved(options.pairs, {
        Double(codes.count) / (try seconds { for code in codes { _ = try renderer.render(content(code)) } })
    }, qrSVG)
    let svgRatio = PairedRatio(ours: svg.map(\.a), reference: svg.map(\.b))
    print(String(format: "  bare QR: matrix + SVG %.0f/s (median)", svgRatio.reference))
    print(String(format: "  label SVG (render only)  %8.0f/s = %@ of QR SVG", svgRatio.ours, svgRatio.text))
    rows.append(SummaryRow("labels: SVG, render only", String(format: "%.0f/s = %@ of QR SVG", svgRatio.ours, svgRatio.text),
                           goal: "", verdict: ""))

    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yima-bench-labels-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    func measure(_ label: String, format: LabelOutputFormat, sheet: LabelSheet? = nil, reference: () -> Double, referenceName: String) throws {
        let directory = scratch + "/" + label.replacingOccurrences(of: " ", with: "-")
        var tenth = 0, end = 0, size: Int?
        let pairs = try interleaved(options.pairs, { () throws -> Double in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let renderer = try LabelRenderer(template: template, dpi: options.dpi)
            let output = try LabelOutput(format: format, directory: directory, template: template, dpi: options.dpi, sheet: sheet)
            _ = resetPeakMemory()
            let elapsed = try seconds {
                for (index, code) in codes.enumerated() {
                    try output.add(renderer.render(content(code)), name: code.serial)
                    if index == codes.count / 10 { tenth = procStatus("VmRSS") ?? 0 }
                }
                try output.finish()
            }
            end = procStatus("VmRSS") ?? 0
            size = output.jobFile.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }
            return Double(codes.count) / elapsed
        }, reference)
        let ratio = PairedRatio(ours: pairs.map(\.a), reference: pairs.map(\.b))
        print(String(format: "  %@ %8.0f/s = %@ of %@; RSS %@ at 10%%, %@ at the end%@",
                     label.padding(toLength: 22, withPad: " ", startingAt: 0), ratio.ours, ratio.text, referenceName,
                     megabytes(tenth), megabytes(end), size.map { ", file " + megabytes($0) } ?? ""))
        rows.append(SummaryRow("labels: " + label, String(format: "%.0f/s = %@ of %@", ratio.ours, ratio.text, referenceName),
                               goal: "flat memory", verdict: end - tenth < 64 << 20 ? "OK" : "GROWS"))
    }
    if options.only.contains("pdf") { try measure("PDF, page per label", format: .pdf, reference: qrSVG, referenceName: "QR SVG") }
    if options.only.contains("sheets") {
        try measure("PDF, A4 sheets", format: .pdf, sheet: LabelSheet(), reference: qrSVG, referenceName: "QR SVG")
    }
    if options.only.contains("png") { try measure("PNG files", format: .png, reference: qrPNG, referenceName: "QR PNG") }
    if options.only.contains("zpl") { try measure("ZPL job", format: .zpl, reference: qrPNG, referenceName: "QR PNG") }
    return rows
}
