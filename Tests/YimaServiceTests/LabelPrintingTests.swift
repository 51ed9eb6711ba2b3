import Foundation
import Testing
import YimaCodes
import YimaLabels
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// `printUnitLabels` and `printContainerLabel` over a real store: every printed QR read
/// back by zbarimg, packing recorded with the carton label, nothing left behind on failure.
@Suite("Label printing")
struct LabelPrintingTests {
    static let templates = Repository.root.appendingPathComponent("templates/labels").path
    static let base = try! ResolverBase("https://TRACE.ZHOUZHI.GOV.CN")

    /// A farm with a harvest and `count` issued codes; returns the codes as printed by `yima issue`.
    static func farmWithCodes(_ count: Int = 4) throws -> (Farm, [String]) {
        let farm = try Farm()
        try farm.submitEvent("harvest", daysAgo: 10, data: #"{"date":"\#(farm.date(daysAgo: 10))","quantity":{"unit":"KGM","value":"800"}}"#)
        let issue = IssueRequest(key: farm.coop, base: base, gtin: Farm.gtin, lot: Farm.lot, count: count,
                                 outputDirectory: farm.dir.file("issued"))
        _ = try farm.issuance.issueUnits(batch: Farm.reference, request: issue)
        let codes = try String(contentsOfFile: farm.dir.file("issued/codes.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        return (farm, codes)
    }

    static func request(_ farm: Farm, template: String = "40x30", format: LabelOutputFormat, out: String,
                        templates: String = templates) -> LabelRequest {
        LabelRequest(template: template, templatesDirectory: templates, format: format, dpi: 203, base: base,
                     outputDirectory: farm.dir.file(out))
    }

    @Test("a batch's labels: one PNG and one PDF page per issued code, each scanning to its code")
    func unitLabels() throws {
        let (farm, codes) = try Self.farmWithCodes()
        let png = try farm.labelling.printUnitLabels(batch: Farm.reference, request: Self.request(farm, format: .png, out: "png"))
        #expect(png.count == codes.count)
        var decoded: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: png.directory).filter({ $0.hasSuffix(".png") }) {
            let result = try run("zbarimg", ["--raw", "-q", (png.directory as NSString).appendingPathComponent(file)])
            decoded.append(result.output.trimmingCharacters(in: .newlines))
            #expect(result.output.contains("/21/\(file.dropLast(4))?"), "SERIAL.png holds that serial's code")
        }
        #expect(Set(decoded) == Set(codes))
        let manifest = try String(contentsOfFile: png.directory + "/labels.csv", encoding: .utf8).split(separator: "\n")
        #expect(manifest.count == codes.count + 1)
        #expect(manifest.dropFirst().allSatisfy { line in codes.contains { line.hasSuffix(",\($0)") } })

        let pdf = try farm.labelling.printUnitLabels(batch: Farm.reference, request: Self.request(farm, template: "50x30", format: .pdf, out: "pdf"))
        let file = try #require(pdf.file)
        let pages = try run("gs", ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r203", "-o", farm.dir.file("page-%d.png"), file])
        #expect(pages.status == 0, "\(pages.stderr)")
        let fromPDF = try (1...codes.count).map { try run("zbarimg", ["--raw", "-q", farm.dir.file("page-\($0).png")]).output.trimmingCharacters(in: .newlines) }
        #expect(Set(fromPDF) == Set(codes))
    }

    @Test("a failed run leaves no output folder and no staging folder")
    func allOrNothing() throws {
        let (farm, _) = try Self.farmWithCodes(2)
        // A copy of 40x30 whose QR box is too small: the first label fails, after the folder was staged.
        let custom = try TemporaryDirectory()
        let layout = try String(contentsOfFile: Self.templates + "/40x30.json", encoding: .utf8)
        try layout.replacingOccurrences(of: #""size_mm": 24.5"#, with: #""size_mm": 12"#).write(toFile: custom.file("tiny.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.templates + "/40x30.svg.mustache", toPath: custom.file("tiny.svg.mustache"))
        for (template, folder, format) in [("tiny", custom.path, LabelOutputFormat.pdf), ("45x35", Self.templates, .png),
                                           ("carton-100x70", Self.templates, .zpl)] {
            #expect(throws: ServiceError.self) {
                try farm.labelling.printUnitLabels(batch: Farm.reference,
                                                 request: Self.request(farm, template: template, format: format, out: "out", templates: folder))
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: farm.dir.path)
        #expect(!left.contains { $0 == "out" || $0.hasPrefix(".out.partial") }, "\(left)")
        #expect(throws: ServiceError.self) {
            try farm.labelling.printUnitLabels(batch: BatchReference(key: "\(Farm.gtin)/NO-SUCH-LOT"), request: Self.request(farm, format: .pdf, out: "out"))
        }
    }

    @Test("a carton label records the packing; packing the same units again stores nothing and prints nothing")
    func cartonLabelRecordsPacking() throws {
        let (farm, codes) = try Self.farmWithCodes()
        let serials = try codes.prefix(3).map { try Serial(String($0.split(separator: "/21/")[1].prefix(while: { $0 != "?" })), field: "units") }
        let sscc = "069200000000000012"
        let (summary, eventID) = try farm.labelling.printContainerLabel(
            ContainerLabel(sscc: sscc, batch: Farm.reference, contents: .units(serials), key: farm.coop),
            request: Self.request(farm, template: "carton-100x70", format: .png, out: "carton"))
        #expect(eventID != nil)
        #expect(try farm.store.contents(of: sscc).count == 3)
        let scanned = try run("zbarimg", ["--raw", "-q", summary.directory + "/\(sscc).png"])
        #expect(scanned.output.trimmingCharacters(in: .newlines) == "\(Self.base)/00/\(sscc)")

        let records = try farm.store.recordCount()
        #expect(throws: ServiceError.self) {
            try farm.labelling.printContainerLabel(
                ContainerLabel(sscc: "069200000000000029", batch: Farm.reference, contents: .units(serials), key: farm.coop),
                request: Self.request(farm, template: "carton-100x70", format: .pdf, out: "again"))
        }
        #expect(try farm.store.recordCount() == records)
        #expect(!FileManager.default.fileExists(atPath: farm.dir.file("again")))

        // Reprinting an existing carton reads its contents from the store.
        let (reprint, none) = try farm.labelling.printContainerLabel(
            ContainerLabel(sscc: sscc, batch: Farm.reference),
            request: Self.request(farm, template: "carton-100x70", format: .svg, out: "reprint"))
        #expect(none == nil)
        let svg = try String(contentsOfFile: reprint.directory + "/\(sscc).svg", encoding: .utf8)
        #expect(svg.contains("内装 3 件"))
        #expect(svg.contains("周至猕猴桃"))
        #expect(try farm.store.recordCount() == records)

        // Units onto a pallet label: refused before anything is signed or drawn.
        let wrongKind = #expect(throws: ServiceError.self) {
            try farm.labelling.printContainerLabel(
                ContainerLabel(sscc: "069200000000000029", batch: Farm.reference, contents: .units(serials), key: farm.coop),
                request: Self.request(farm, template: "pallet-100x150", format: .pdf, out: "pallet"))
        }
        #expect(wrongKind?.description.contains("cartons hold units (--units), pallets hold cartons (--cartons)") == true)
        #expect(try farm.store.recordCount() == records)
        #expect(throws: ServiceError.self) {
            try farm.labelling.printContainerLabel(ContainerLabel(sscc: "069200000000000013", batch: Farm.reference),
                                                 request: Self.request(farm, template: "carton-100x70", format: .svg, out: "bad"))
        }
    }

    @Test("a typed short code resolves to the unit's code")
    func shortCode() throws {
        let (farm, codes) = try Self.farmWithCodes(2)
        let code = try UnitCode.parse(codes[0])
        let short = try #require(ShortCode(serial: code.serial))
        let typed = try #require(ShortCode(typed: short.description.lowercased()))
        #expect(try farm.resolver.resolve(typed, base: Self.base).map(\.uri) == [codes[0]])
        #expect(try farm.resolver.resolve(#require(ShortCode(serial: "0000000000AB")), base: Self.base).isEmpty)
    }
}
