import CPNG

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
    /// Uses libpng's simplified write API (`png_image_write_to_memory`), which reports errors
    /// through the `png_image` rather than by `longjmp`, which Swift cannot survive.
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
        let side = pixels.side

        var image = Self.grayscaleImageDescription(side: side)
        defer { png_image_free(&image) }

        // The capacity is libpng's own worst case (PNG_IMAGE_PNG_SIZE_MAX), so one buffer always
        // suffices with zlib; the retry only guards against a compressor with a different bound.
        var capacity = Self.pngByteCountBound(side: side)
        for _ in 0..<2 {
            var written = png_alloc_size_t(capacity)
            let requestedCapacity = capacity
            let output = pixels.bytes.withUnsafeBytes { pixelBytes in
                Self.palette.withUnsafeBytes { palette in
                    [UInt8](unsafeUninitializedCapacity: requestedCapacity) { buffer, initializedCount in
                        let succeeded = png_image_write_to_memory(
                            &image, buffer.baseAddress, &written, 0, pixelBytes.baseAddress, png_int_32(side),
                            palette.baseAddress)
                        initializedCount = succeeded != 0 ? Int(written) : 0
                    }
                }
            }
            if !output.isEmpty { return output }
            // On failure libpng sets `written` to the needed size if only the buffer was too small.
            guard Int(written) > requestedCapacity else { break }
            capacity = Int(written)
            png_image_free(&image)
            image = Self.grayscaleImageDescription(side: side)
        }
        throw .pngEncodingFailed(message: Self.libpngMessage(of: image))
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
    private static let palette: [UInt8] = [0, 255]

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

    /// A `png_image` describing a two-entry gray colour-mapped image, as the simplified
    /// write API expects.
    private static func grayscaleImageDescription(side: Int) -> png_image {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(side)
        image.height = png_uint_32(side)
        image.format = png_uint_32(PNG_FORMAT_GRAY) | png_uint_32(PNG_FORMAT_FLAG_COLORMAP)
        image.colormap_entries = 2
        return image
    }

    /// libpng's PNG_IMAGE_PNG_SIZE_MAX for an 8-bit grayscale image of `side` × `side` pixels.
    private static func pngByteCountBound(side: Int) -> Int {
        let filteredBytes = side * side + side  // one filter-type byte per row
        let zlibBound = filteredBytes + (filteredBytes + 7) / 8 + (filteredBytes + 63) / 64 + 11
        let fixedChunks = 8 + 25 + 16 + 44 + 12 + 12  // signature, IHDR, gAMA, cHRM, IEND, spare
        let idatHeaders = 12 * (zlibBound / 8192 + 1)  // PNG_ZBUF_SIZE bytes per IDAT chunk
        return fixedChunks + idatHeaders + zlibBound
    }

    /// The NUL-terminated message libpng left in `image.message`.
    private static func libpngMessage(of image: png_image) -> String {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "unknown libpng error (warning_or_error = \(image.warning_or_error))" : text
    }
}
