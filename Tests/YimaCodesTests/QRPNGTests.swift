import CPNG
import Foundation
import Testing
@testable import YimaCodes

@Suite("QRMatrix PNG rendering")
struct QRPNGTests {
    /// Renders `text` to a PNG file and decodes it with zbarimg.
    private func decodeThroughPNG(_ text: String, level: QRErrorCorrection = .Q,
                                  moduleSize: Int = 8, quietZone: Int = 4) throws -> [UInt8] {
        let matrix = try QRMatrix.encode(text, errorCorrection: level)
        return try QRTestSupport.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("code.png")
            try matrix.writePNG(to: file.path, moduleSize: moduleSize, quietZone: quietZone)
            return try QRTestSupport.zbarDecode(file)
        }
    }

    @Test("zbarimg reads back exactly the encoded text",
          arguments: ["HELLO WORLD", "https://example.com/a?b=c&d=e", "0123456789", "Café Müller, Köln"])
    func roundTrip(text: String) throws {
        #expect(try decodeThroughPNG(text) == Array(text.utf8))
    }

    @Test("our real code shape round-trips")
    func sampleURLRoundTrip() throws {
        for _ in 0..<3 {
            let url = QRTestSupport.sampleYimaURL()
            #expect(try decodeThroughPNG(url) == Array(url.utf8), "\(url)")
        }
    }

    @Test("UTF-8 Chinese text round-trips byte for byte")
    func chineseRoundTrip() throws {
        let text = "宁夏中宁枸杞 批次 2024-07 · 有机认证"
        #expect(try decodeThroughPNG(text) == Array(text.utf8))
    }

    @Test("every error-correction level decodes", arguments: QRErrorCorrection.allCases)
    func everyLevelDecodes(level: QRErrorCorrection) throws {
        let url = QRTestSupport.sampleYimaURL()
        #expect(try decodeThroughPNG(url, level: level) == Array(url.utf8), "\(url)")
    }

    @Test("small modules and the minimum quiet zone still decode")
    func smallModulesDecode() throws {
        #expect(try decodeThroughPNG("HELLO WORLD", moduleSize: 3, quietZone: 4) == Array("HELLO WORLD".utf8))
    }

    @Test("image is (size + 2 × quietZone) × moduleSize pixels, 1-bit palette",
          arguments: [(1, 0), (1, 4), (3, 2), (8, 4), (10, 6)])
    func dimensions(moduleSize: Int, quietZone: Int) throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let png = try matrix.png(moduleSize: moduleSize, quietZone: quietZone)
        let header = try QRTestSupport.pngDimensions(png)
        let expected = (matrix.size + 2 * quietZone) * moduleSize
        #expect(header.width == expected)
        #expect(header.height == expected)
        #expect(header.bitDepth == 1)
        #expect(header.colorType == 3, "PNG colour type 3 is a palette image")
    }

    @Test("every pixel shows its module: black for dark, white for light and quiet zone",
          arguments: [(1, 4), (4, 4), (7, 1)])
    func pixelsMatchModules(moduleSize: Int, quietZone: Int) throws {
        // The long text gives a symbol wider than 128 modules, whose rows span several words.
        for text in [QRTestSupport.sampleYimaURL(), String(repeating: "Yima traceability ", count: 80)] {
            try checkPixels(of: QRMatrix.encode(text), moduleSize: moduleSize, quietZone: quietZone)
        }
    }

    private func checkPixels(of matrix: QRMatrix, moduleSize: Int, quietZone: Int) throws {
        let png = try matrix.png(moduleSize: moduleSize, quietZone: quietZone)
        let (pixels, side) = try Self.grayscalePixels(ofPNG: png)
        let modules = QRTestSupport.addingQuietZone(QRTestSupport.modules(of: matrix), quietZone)
        #expect(side == modules.count * moduleSize)
        var wrongPixels: [String] = []
        for y in 0..<side {
            for x in 0..<side {
                let expected: UInt8 = modules[y / moduleSize][x / moduleSize] ? 0 : 255
                if pixels[y * side + x] != expected { wrongPixels.append("(\(x), \(y))") }
            }
        }
        #expect(wrongPixels.isEmpty, "\(wrongPixels.count) wrong pixels, first \(wrongPixels.prefix(5))")
    }

    @Test("quietZone 0 puts the finder pattern at the image edge")
    func zeroQuietZone() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let (pixels, side) = try Self.grayscalePixels(ofPNG: matrix.png(moduleSize: 2, quietZone: 0))
        // The top-left finder pattern is dark right at the edge without a quiet zone.
        #expect(pixels[0] == 0 && side == matrix.size * 2)
    }

    @Test("absurd sizes are refused instead of allocating gigabytes")
    func tooLargeImage() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        #expect(throws: QRError.imageTooLarge(pixelsPerSide: 29 * 1000, limit: QRMatrix.maximumImageSide)) {
            try matrix.png(moduleSize: 1000, quietZone: 4)
        }
        #expect(throws: QRError.self) { try matrix.png(moduleSize: 1, quietZone: Int.max / 2) }
    }

    @Test("writing to an impossible path reports the path and reason")
    func writeFailure() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let path = "/nonexistent-directory-\(UUID().uuidString)/code.png"
        let error = #expect(throws: QRError.self) { try matrix.writePNG(to: path) }
        #expect(error?.description.contains(path) == true)
    }

    /// Decodes a PNG with libpng's simplified read API into 8-bit gray pixels.
    static func grayscalePixels(ofPNG png: [UInt8]) throws -> (pixels: [UInt8], side: Int) {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = png.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw QRTestSupport.ToolFailure(description: "libpng cannot read the PNG") }
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height)
        let finished = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, png_int_32(width), nil)
        }
        guard finished != 0, width == height else {
            throw QRTestSupport.ToolFailure(description: "libpng failed to decode a square image")
        }
        return (pixels, width)
    }
}
