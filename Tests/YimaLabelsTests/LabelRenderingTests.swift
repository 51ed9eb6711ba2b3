import Foundation
import Testing
import YimaCodes
@testable import YimaLabels
import YimaTestSupport

@Suite("Label rendering")
struct LabelRenderingTests {
    @Test("unit labels scan at 203 and 300 dpi, modules on whole dots", arguments: ["30x20", "40x30", "50x30"], [203, 300])
    func unitLabelsScan(template name: String, dpi: Int) throws {
        let dir = try TemporaryDirectory()
        let code = try LabelFixture.code()
        let template = try LabelFixture.template(name)
        let label = try LabelRenderer(template: template, dpi: dpi).render(LabelFixture.content(code))
        #expect(label.placement.dotsPerModule >= LabelLayout.minimumDotsPerModule)
        #expect(label.placement.moduleMM >= LabelLayout.minimumModuleMM)
        // The whole symbol, quiet zone included, inside the template's QR box.
        let dot = 25.4 / Double(dpi)
        #expect(Double(label.placement.originX) * dot >= template.layout.qr.xMM - 1e-9)
        #expect(Double(label.placement.originX + label.placement.sideDots) * dot <= template.layout.qr.xMM + template.layout.qr.sizeMM + 1e-9)

        let rasterizer = LabelRasterizer(dpi: dpi)
        let bitmap = try rasterizer.bitmap(label, template: name)
        #expect(bitmap.width == Int((template.layout.widthMM * Double(dpi) / 25.4).rounded()))
        #expect(try LabelFixture.decode(png: bitmap.png(), in: dir) == [code.uri])
        // librsvg's own drawing of the whole SVG is already our matrix, dot for dot (stamping changes
        // nothing), and equals the layered drawing (background once, short code and QR per label).
        let drawn = try rasterizer.bitmap(wholeSVGOf: label, template: name, stamp: false)
        #expect(drawn == bitmap)
        let next = try LabelRenderer(template: template, dpi: dpi).render(LabelFixture.content(LabelFixture.code()))
        #expect(try rasterizer.bitmap(next, template: name) == rasterizer.bitmap(wholeSVGOf: next, template: name, stamp: false))
    }

    @Test("the SVG alone scans when rasterised by rsvg-convert")
    func svgScansWithAnotherRasteriser() throws {
        let dir = try TemporaryDirectory()
        let code = try LabelFixture.code()
        let label = try LabelRenderer(template: LabelFixture.template("40x30"), dpi: 203).render(LabelFixture.content(code))
        try label.svg.write(toFile: dir.file("label.svg"), atomically: true, encoding: .utf8)
        let converted = try run("rsvg-convert", ["--dpi-x", "203", "--dpi-y", "203", "--background-color", "white",
                                                 "-o", dir.file("label.png"), dir.file("label.svg")])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(try LabelFixture.decode(file: dir.file("label.png")) == [code.uri])
    }

    @Test("Chinese text is drawn: ink in the product box, none when the field is empty")
    func chineseTextRenders() throws {
        let code = try LabelFixture.code()
        let template = try LabelFixture.template("40x30")
        let renderer = try LabelRenderer(template: template, dpi: 203)
        let rasterizer = LabelRasterizer(dpi: 203)
        let box = template.layout.text["product"]!
        func productInk(_ product: String) throws -> Int {
            let bitmap = try rasterizer.bitmap(renderer.render(LabelFixture.content(code, product: product)), template: "40x30")
            return LabelFixture.ink(bitmap, xMM: box.xMM, yMM: box.yMM, widthMM: box.widthMM, heightMM: box.heightMM, dpi: 203)
        }
        #expect(try productInk("") == 0)
        let apples = try productInk("红富士苹果")
        // Five bold CJK characters at 10 pt cover hundreds of dots; tofu boxes or nothing would not.
        #expect(apples > 400)
        #expect(try productInk("花椒") < apples)
        #expect(try productInk("花椒") > 100)
    }

    @Test("long text shrinks and wraps inside its box; nothing is drawn outside the boxes")
    func longTextStaysInside() throws {
        let code = try LabelFixture.code()
        let template = try LabelFixture.template("40x30")
        var content = LabelFixture.content(code, product: "高山红富士苹果（特级）")
        content.fields[.producer] = "茂县凤仪镇坪头村果椒专业合作社"
        let label = try LabelRenderer(template: template, dpi: 203).render(content)
        #expect(label.svg.components(separatedBy: "<text").count - 1 > template.layout.text.count, "long fields wrap onto more lines")
        let bitmap = try LabelRasterizer(dpi: 203).bitmap(label, template: "40x30")
        let k = 203 / 25.4
        var boxes = template.layout.text.values.map { ($0.xMM, $0.yMM, $0.widthMM, $0.heightMM) }
        boxes.append((template.layout.qr.xMM, template.layout.qr.yMM, template.layout.qr.sizeMM, template.layout.qr.sizeMM))
        var outside = 0
        for y in 0..<bitmap.height {
            for x in 0..<bitmap.width where bitmap[x, y] {
                let (xMM, yMM) = ((Double(x) + 0.5) / k, (Double(y) + 0.5) / k)
                if !boxes.contains(where: { xMM >= $0.0 - 0.15 && xMM <= $0.0 + $0.2 + 0.15 && yMM >= $0.1 - 0.15 && yMM <= $0.1 + $0.3 + 0.15 }) {
                    outside += 1
                }
            }
        }
        #expect(outside == 0)
    }

    @Test("PDF pages and A4 sheets scan when rasterised by Ghostscript")
    func pdfScans() throws {
        let dir = try TemporaryDirectory()
        let template = try LabelFixture.template("40x30")
        let codes = try (0..<3).map { _ in try LabelFixture.code() }
        for sheet in [nil, LabelSheet()] {
            let folder = dir.file(sheet == nil ? "pages" : "sheet")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let output = try LabelOutput(format: .pdf, directory: folder, template: template, dpi: 300, sheet: sheet)
            let renderer = try LabelRenderer(template: template, dpi: 300)
            for code in codes { try output.add(renderer.render(LabelFixture.content(code)), name: code.serial) }
            try output.finish()
            let pdf = try #require(output.jobFile)
            let pages = try run("gs", ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r300",
                                       "-o", (folder as NSString).appendingPathComponent("page-%d.png"), pdf])
            #expect(pages.status == 0, "\(pages.stderr)")
            let pngs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
            #expect(pngs.count == (sheet == nil ? 3 : 1))
            let decoded = try pngs.flatMap { try LabelFixture.decode(file: (folder as NSString).appendingPathComponent($0)) }
            #expect(Set(decoded) == Set(codes.map(\.uri)))
        }
    }

    @Test("an A4 sheet holds a grid of 40x30 labels and spills onto a second page")
    func sheetGrid() throws {
        let cells = try LabelSheet().cells(labelWidthMM: 40, labelHeightMM: 30, dpi: 203, template: "40x30")
        // (210 − 16 + 2) / 42 = 4 columns, (297 − 16 + 2) / 32 = 8 rows.
        #expect(cells.count == 32)
        let dot = 25.4 / 203
        #expect(cells.allSatisfy { abs(($0.x / dot).rounded() - $0.x / dot) < 1e-6 })
        #expect(throws: LabelError.self) { try LabelSheet().cells(labelWidthMM: 100, labelHeightMM: 300, dpi: 203, template: "big") }
    }

    @Test("carton and pallet labels carry the SSCC as a GS1 Digital Link")
    func containerLabels() throws {
        let dir = try TemporaryDirectory()
        for name in ["carton-100x70", "pallet-100x150"] {
            let template = try LabelFixture.template(name)
            let uri = "\(LabelFixture.base)/00/069200000000000012"
            let label = try LabelRenderer(template: template, dpi: 203).render(LabelContent(code: uri, fields: [
                .product: "红富士苹果", .sscc: "(00) 069200000000000012", .count: "24 件", .lot: "MX-2026-APL-07",
                .producer: "茂县凤仪镇果椒专业合作社", .origin: "凤仪镇坪头村", .date: "2026-10-08",
            ]))
            let bitmap = try LabelRasterizer(dpi: 203).bitmap(label, template: name)
            #expect(try LabelFixture.decode(png: bitmap.png(), in: dir, name: "\(name).png") == [uri])
            let parsed = try DigitalLinkURI.parse(uri)
            #expect(parsed.primaryKey == GS1Element(ai: "00", value: "069200000000000012"))
        }
    }
}
