import Foundation
import Testing
@testable import YimaCodes

@Suite("QRMatrix SVG rendering")
struct QRSVGTests {
    /// Renders `text` to SVG, rasterises it with rsvg-convert and decodes it with zbarimg.
    private func decodeThroughSVG(_ text: String, level: QRErrorCorrection = .Q,
                                  moduleSize: Int = 8, quietZone: Int = 4) throws -> [UInt8] {
        let svg = try QRMatrix.encode(text, errorCorrection: level).svg(moduleSize: moduleSize, quietZone: quietZone)
        return try QRTestSupport.withTemporaryDirectory { directory in
            let svgFile = directory.appendingPathComponent("code.svg")
            let pngFile = directory.appendingPathComponent("code.png")
            try svg.write(to: svgFile, atomically: false, encoding: .utf8)
            try QRTestSupport.rasterize(svg: svgFile, to: pngFile, width: 600)
            return try QRTestSupport.zbarDecode(pngFile)
        }
    }

    @Test("zbarimg reads back exactly the encoded text",
          arguments: ["HELLO WORLD", "https://example.com/a?b=c&d=e", "宁夏枸杞 批次 2024-07", "Café Müller"])
    func roundTrip(text: String) throws {
        #expect(try decodeThroughSVG(text) == Array(text.utf8))
    }

    @Test("our real code shape round-trips at every level", arguments: QRErrorCorrection.allCases)
    func sampleURLRoundTrip(level: QRErrorCorrection) throws {
        let url = QRTestSupport.sampleYimaURL()
        #expect(try decodeThroughSVG(url, level: level) == Array(url.utf8), "\(url)")
    }

    @Test("the path paints exactly the dark modules, offset by the quiet zone", arguments: [0, 1, 4, 12])
    func pathMatchesModules(quietZone: Int) throws {
        for text in [QRTestSupport.sampleYimaURL(), String(repeating: "Yima traceability ", count: 80)] {
            let matrix = try QRMatrix.encode(text)
            let side = matrix.size + 2 * quietZone
            let painted = try QRTestSupport.darkModules(inSVG: matrix.svg(quietZone: quietZone), side: side)
            let expected = QRTestSupport.addingQuietZone(QRTestSupport.modules(of: matrix), quietZone)
            let differences = QRTestSupport.differences(painted, expected)
            #expect(differences.isEmpty, "SVG differs at \(differences.prefix(10))")
        }
    }

    @Test("document structure: one path, crisp edges, white background, module-unit viewBox",
          arguments: [(8, 4), (3, 2), (1, 0)])
    func structure(moduleSize: Int, quietZone: Int) throws {
        let matrix = try QRMatrix.encode(QRTestSupport.sampleYimaURL())
        let svg = matrix.svg(moduleSize: moduleSize, quietZone: quietZone)
        let side = matrix.size + 2 * quietZone
        let pixels = side * moduleSize
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg""#))
        #expect(svg.contains(#" width="\#(pixels)" height="\#(pixels)""#))
        #expect(svg.contains(#" viewBox="0 0 \#(side) \#(side)""#))
        #expect(svg.contains(#"shape-rendering="crispEdges""#))
        #expect(svg.contains(##"<rect width="\##(side)" height="\##(side)" fill="#fff"/>"##))
        #expect(svg.components(separatedBy: "<path").count == 2, "exactly one <path>")
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test("svgBytes and svg produce the same document")
    func bytesMatchString() throws {
        let matrix = try QRMatrix.encode(QRTestSupport.sampleYimaURL())
        #expect(matrix.svgBytes(moduleSize: 5, quietZone: 3) == Array(matrix.svg(moduleSize: 5, quietZone: 3).utf8))
    }

    @Test("the output stays compact: a version 9 symbol is well under 16 KB")
    func compactOutput() throws {
        let matrix = try QRMatrix.encode(QRTestSupport.sampleYimaURL())
        #expect(matrix.version <= 9)
        #expect(matrix.svgBytes().count < 16_000)
    }

    @Test("a flipped module is caught by the path comparison")
    func comparisonCatchesAFlippedModule() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let broken = QRMatrix(version: matrix.version, size: matrix.size) { x, y in
            (x, y) == (12, 9) ? !matrix[x: x, y: y] : matrix[x: x, y: y]
        }
        let painted = try QRTestSupport.darkModules(inSVG: broken.svg(quietZone: 4), side: matrix.size + 8)
        let expected = QRTestSupport.addingQuietZone(QRTestSupport.modules(of: matrix), 4)
        #expect(QRTestSupport.differences(painted, expected) == ["(16, 13)"])
    }
}
