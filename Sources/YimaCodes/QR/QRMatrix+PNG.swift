#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension QRMatrix {
    /// The largest PNG side length, in pixels, that ``png(moduleSize:quietZone:)`` produces.
    /// Bounds memory use (one byte per pixel while encoding) when sizes come from requests.
    public static let maximumImageSide = 8192

    /// Renders the symbol as a 1-bit palette PNG (black and white): dark modules black,
    /// light modules and the quiet zone white. One bit a pixel gives zlib an eighth of
    /// the bytes an 8-bit grayscale image would, which makes encoding several times
    /// faster and the file smaller.
    ///
    /// Encoded by ``TwoTonePNG`` (libpng's simplified write API).
    ///
    /// - Parameters:
    ///   - moduleSize: Pixels per module side; at least 1. Whole pixels keep every module the
    ///     same size, which readers rely on to sample module centres.
    ///   - quietZone: Light modules around the symbol. ISO/IEC 18004:2015, §6.3.8, requires 4.
    /// - Returns: The PNG file bytes; the image is `(size + 2 * quietZone) * moduleSize` pixels square.
    /// - Throws: ``QRError/imageTooLarge(pixelsPerSide:limit:)`` above ``maximumImageSide``,
    ///   ``QRError/pngEncodingFailed(message:)`` with libpng's message if libpng fails.
    public func png(moduleSize: Int = 8, quietZone: Int = 4) throws(QRError) -> [UInt8] {
        let pixels = try grayscalePixels(moduleSize: moduleSize, quietZone: quietZone)
        return try TwoTonePNG.encode(indices: pixels.bytes, width: pixels.side, height: pixels.side)
    }

    /// Renders the symbol as a PNG (see ``png(moduleSize:quietZone:)``) and writes it to `path`,
    /// replacing any existing file.
    public func writePNG(to path: String, moduleSize: Int = 8, quietZone: Int = 4) throws(QRError) {
        let bytes = try png(moduleSize: moduleSize, quietZone: quietZone)
        guard let file = fopen(path, "wb") else {
            throw .fileWriteFailed(path: path, reason: String(cString: strerror(errno)))
        }
        let writtenCount = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let writeErrno = errno
        let closeResult = fclose(file)
        if writtenCount != bytes.count {
            throw .fileWriteFailed(path: path, reason: String(cString: strerror(writeErrno)))
        }
        if closeResult != 0 {
            throw .fileWriteFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Palette entries (8-bit gray): index 0 is dark, index 1 light. With two entries
    /// libpng's simplified API writes a bit depth of 1.
    /// The symbol as one palette index per pixel, row by row: 0 for dark, 1 for light.
    func grayscalePixels(moduleSize: Int, quietZone: Int) throws(QRError) -> (bytes: [UInt8], side: Int) {
        precondition(moduleSize >= 1, "moduleSize must be at least 1, not \(moduleSize)")
        precondition(quietZone >= 0, "quietZone must not be negative, not \(quietZone)")
        // Checking the factors first keeps the multiplication from overflowing.
        let limit = Self.maximumImageSide
        guard moduleSize <= limit, quietZone <= limit, (size + 2 * quietZone) * moduleSize <= limit else {
            let side = moduleSize <= limit && quietZone <= limit ? (size + 2 * quietZone) * moduleSize : Int.max
            throw .imageTooLarge(pixelsPerSide: side, limit: limit)
        }
        let side = (size + 2 * quietZone) * moduleSize
        let dark: UInt8 = 0
        let light: UInt8 = 1
        var bytes = [UInt8](repeating: light, count: side * side)
        bytes.withUnsafeMutableBufferPointer { pixels in
            let base = pixels.baseAddress!
            let quietPixels = quietZone * moduleSize
            for y in 0..<size {
                // Paint the first pixel row of this module row, then copy it moduleSize - 1 times.
                let firstRow = base + (quietPixels + y * moduleSize) * side
                forEachDarkRun(inRow: y) { start, end in
                    (firstRow + quietPixels + start * moduleSize).update(repeating: dark, count: (end - start) * moduleSize)
                }
                for repeatRow in 1..<moduleSize {
                    (firstRow + repeatRow * side).update(from: firstRow, count: side)
                }
            }
        }
        return (bytes, side)
    }
}
