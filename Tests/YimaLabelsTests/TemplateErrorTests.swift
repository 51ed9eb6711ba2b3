import Foundation
import Testing
import YimaCodes
@testable import YimaLabels
import YimaTestSupport

/// Bad templates and bad text: a precise message, in both languages, naming what to fix.
@Suite("Template errors")
struct TemplateErrorTests {
    /// A 40×30 test layout, independent of the repository's templates.
    static let layout = """
        {
          "kind": "unit", "width_mm": 40, "height_mm": 30,
          "qr": {"x_mm": 0.5, "y_mm": 0.5, "size_mm": 23},
          "text": {
            "short_code": {"x_mm": 0.5,  "y_mm": 24.0, "width_mm": 23,   "height_mm": 5.5, "font_pt": 7, "min_font_pt": 5, "bold": true},
            "product":    {"x_mm": 24.2, "y_mm": 0.6,  "width_mm": 15.3, "height_mm": 7.8, "font_pt": 10, "min_font_pt": 6, "max_lines": 2}
          }
        }
        """
    static let svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="{{width_mm}}mm" height="{{height_mm}}mm" viewBox="0 0 {{width_mm}} {{height_mm}}">
          <rect width="{{width_mm}}" height="{{height_mm}}" fill="#fff"/>
          {{{qr}}}
          {{{short_code}}}
          {{{product}}}
        </svg>
        """

    /// A templates folder holding the test template as `custom`, edited by `json` and `svg`.
    static func custom(json: (String) -> String = { $0 }, svg: (String) -> String = { $0 }) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let layout = Self.layout, template = Self.svg
        try json(layout).write(toFile: dir.file("custom.json"), atomically: true, encoding: .utf8)
        try svg(template).write(toFile: dir.file("custom.svg.mustache"), atomically: true, encoding: .utf8)
        return dir
    }

    static func error(_ body: () throws -> Void) -> LabelError? {
        do { try body() } catch let error as LabelError { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test("an unknown template is named, with the ones available")
    func unknownTemplate() throws {
        let error = try #require(Self.error { _ = try LabelTemplate.load("45x35", from: LabelFixture.templates) })
        #expect(error.english.contains("unknown label template \"45x35\""))
        #expect(error.english.contains("30x20, 40x30, 50x30"))
        #expect(error.chinese.contains("未知的标签模板"))
        #expect(Self.error { _ = try LabelTemplate.load("../labels/40x30", from: LabelFixture.templates) } != nil)
    }

    @Test("a QR box too small for the minimum module size is refused with the size it needs")
    func qrTooSmall() throws {
        let dir = try Self.custom(json: { $0.replacingOccurrences(of: #""size_mm": 23"#, with: #""size_mm": 14"#) })
        let template = try LabelTemplate.load("custom", from: dir.path)
        let renderer = try LabelRenderer(template: template, dpi: 203)
        let code = try LabelFixture.code()
        let error = try #require(Self.error { _ = try renderer.render(LabelFixture.content(code)) })
        // Version v + quiet zone = 4v + 25 modules, each 2 dots of 25.4/203 mm.
        let version = try QRMatrix.encode(code.uri, errorCorrection: .Q).version
        let needed = Double((4 * version + 25) * 2) * 25.4 / 203
        #expect(error.english.contains("(version \(version), \(4 * version + 25) modules with quiet zone) needs a box of at least \(String(format: "%.3f", needed))"), "\(error)")
        #expect(error.english.hasSuffix("the template's QR box is 14 mm"))
        #expect(error.chinese.contains("至少需要"))
    }

    @Test("a stricter min_module_mm in the template is honoured")
    func templateMinimumModule() throws {
        let dir = try Self.custom(json: { $0.replacingOccurrences(of: #""size_mm": 23}"#, with: #""size_mm": 23, "min_module_mm": 0.5}"#) })
        let renderer = try LabelRenderer(template: LabelTemplate.load("custom", from: dir.path), dpi: 203)
        let error = try #require(Self.error { _ = try renderer.render(LabelFixture.content(LabelFixture.code())) })
        #expect(error.english.contains("≥ 0.5 mm"), "\(error)")
    }

    @Test("layouts that do not fit the label are refused when loaded", arguments: [
        (#""x_mm": 24.2, "y_mm": 0.6"#, #""x_mm": 10, "y_mm": 0.6"#, "overlaps the QR code"),
        (#""width_mm": 15.3, "height_mm": 7.8"#, #""width_mm": 25, "height_mm": 7.8"#, "is not inside the label"),
        (#""short_code""#, #""serial_no""#, "unknown text field \"serial_no\""),
        (#""font_pt": 10, "min_font_pt": 6"#, #""font_pt": 10, "min_font_pt": 3"#, "min_font_pt"),
        (#""kind": "unit""#, #""kind": "carton""#, "a carton label has no field \"short_code\""),
        (#""width_mm": 40, "height_mm": 30"#, #""width_mm": 40"#, "missing \"height_mm\""),
    ])
    func layoutDoesNotFit(original: String, replacement: String, message: String) throws {
        let dir = try Self.custom(json: { $0.replacingOccurrences(of: original, with: replacement) })
        let error = try #require(Self.error { _ = try LabelTemplate.load("custom", from: dir.path) })
        #expect(error.english.contains(message), "\(error)")
    }

    @Test("a Mustache syntax error names its line")
    func mustacheLine() throws {
        let dir = try Self.custom(svg: { $0.replacingOccurrences(of: "  {{{qr}}}", with: "  {{{qr}}}\n  {{#product}}{{/lot}}") })
        let error = try #require(Self.error { _ = try LabelTemplate.load("custom", from: dir.path) })
        #expect(error.english.contains("custom.svg.mustache, line 5"), "\(error)")
        #expect(error.chinese.contains("第 5 行"))
    }

    @Test("SVG that librsvg cannot parse names the line and shows it")
    func svgLine() throws {
        let dir = try Self.custom(svg: { $0.replacingOccurrences(of: #"<rect width="{{width_mm}}""#, with: #"<rect width="{{width_mm}}" <oops"#) })
        let template = try LabelTemplate.load("custom", from: dir.path)
        let label = try LabelRenderer(template: template, dpi: 203).render(LabelFixture.content(LabelFixture.code()))
        let error = try #require(Self.error { _ = try LabelRasterizer(dpi: 203).bitmap(label, template: "custom") })
        #expect(error.english.contains("does not produce valid SVG"), "\(error)")
        #expect(error.english.contains("line 3: <rect"), "\(error)")
    }

    @Test("text too long even at the smallest size is refused, naming the box")
    func textTooLong() throws {
        let renderer = try LabelRenderer(template: LabelFixture.template("30x20"), dpi: 203)
        let content = LabelFixture.content(try LabelFixture.code(), product: String(repeating: "红富士苹果", count: 6))
        let error = try #require(Self.error { _ = try renderer.render(content) })
        #expect(error.english.contains("is too long for text box \"product\""), "\(error)")
        #expect(error.english.contains("4.5 pt"))
        #expect(error.chinese.contains("太长"))
    }

    @Test("characters no installed font has are refused instead of printing empty boxes")
    func missingGlyphs() throws {
        let renderer = try LabelRenderer(template: LabelFixture.template("40x30"), dpi: 203)
        let content = LabelFixture.content(try LabelFixture.code(), product: "苹果\u{E000}")
        let error = try #require(Self.error { _ = try renderer.render(content) })
        #expect(error.english.contains("no installed font"), "\(error)")
    }

    @Test("unsupported formats and resolutions are refused")
    func unsupported() throws {
        let error = try #require(Self.error { _ = try LabelOutputFormat.parse("eps") })
        #expect(error.english == "unsupported label format \"eps\" (use svg, png, pdf, zpl, tspl)")
        #expect(try LabelOutputFormat.parse("ZPL") == .zpl)
        #expect(Self.error { _ = try LabelRenderer(template: LabelFixture.template("40x30"), dpi: 72) } != nil)
    }
}
