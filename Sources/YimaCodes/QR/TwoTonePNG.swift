import CPNG

/// A black-and-white image as PNG: one palette index per pixel, row by row (0 black,
/// 1 white), written as a two-entry grey colour-mapped PNG. QR symbols and printer-dot
/// label rasters both use it.
///
/// Uses libpng's simplified write API (`png_image_write_to_memory`), which reports errors
/// through the `png_image` rather than by `longjmp`, which Swift cannot survive.
public enum TwoTonePNG {
    private static let palette: [UInt8] = [0, 255]

    /// - Throws: ``QRError/pngEncodingFailed(message:)`` with libpng's message.
    public static func encode(indices: [UInt8], width: Int, height: Int) throws(QRError) -> [UInt8] {
        precondition(indices.count == width * height, "one palette index per pixel")
        var image = description(width: width, height: height)
        defer { png_image_free(&image) }

        // The capacity is libpng's own worst case (PNG_IMAGE_PNG_SIZE_MAX), so one buffer always
        // suffices with zlib; the retry only guards against a compressor with a different bound.
        var capacity = byteCountBound(width: width, height: height)
        for _ in 0..<2 {
            var written = png_alloc_size_t(capacity)
            let requestedCapacity = capacity
            let output = indices.withUnsafeBytes { pixelBytes in
                palette.withUnsafeBytes { palette in
                    [UInt8](unsafeUninitializedCapacity: requestedCapacity) { buffer, initializedCount in
                        let succeeded = png_image_write_to_memory(
                            &image, buffer.baseAddress, &written, 0, pixelBytes.baseAddress, png_int_32(width),
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
            image = description(width: width, height: height)
        }
        throw .pngEncodingFailed(message: libpngMessage(of: image))
    }

    /// A `png_image` describing a two-entry grey colour-mapped image, as the simplified
    /// write API expects.
    private static func description(width: Int, height: Int) -> png_image {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_GRAY) | png_uint_32(PNG_FORMAT_FLAG_COLORMAP)
        image.colormap_entries = 2
        return image
    }

    /// libpng's PNG_IMAGE_PNG_SIZE_MAX for an 8-bit greyscale image of `width` × `height` pixels.
    private static func byteCountBound(width: Int, height: Int) -> Int {
        let filteredBytes = width * height + height  // one filter-type byte per row
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
