import CRsvg

/// Rasterises labels at a printer's resolution with librsvg and cairo, thresholds them to
/// 1 bit, and stamps the QR matrix over its box dot for dot (``MonochromeBitmap/stamp(_:at:)``).
/// A batch's background layer is rasterised once and reused.
///
/// Not thread-safe; use one per thread.
public final class LabelRasterizer {
    public let dpi: Int

    public init(dpi: Int) {
        self.dpi = dpi
    }

    /// The label's size in dots: millimetres × dpi / 25.4, rounded to whole dots.
    public func size(of label: RenderedLabel) -> (width: Int, height: Int) {
        let scale = Double(dpi) / 25.4
        return (Int((label.widthMM * scale).rounded()), Int((label.heightMM * scale).rounded()))
    }

    /// The label as printed: the background layer (rasterised once per run), the per-label
    /// text over it, and the QR matrix stamped dot for dot.
    public func bitmap(_ label: RenderedLabel, template: String) throws(LabelError) -> MonochromeBitmap {
        var bitmap: MonochromeBitmap
        if let cached = background, cached.svg == label.background {
            bitmap = cached.bitmap
        } else {
            bitmap = try rasterise(label.background, label: label, template: template)
            background = (label.background, bitmap)
        }
        let foreground = try rasterise(label.foreground, label: label, template: template)
        for index in bitmap.bits.indices { bitmap.bits[index] |= foreground.bits[index] }
        bitmap.stamp(label.matrix, at: label.placement)
        return bitmap
    }

    /// The last background layer and its dots.
    private var background: (svg: String, bitmap: MonochromeBitmap)?

    /// The label's whole SVG rasterised by librsvg as it stands: with `stamp`, the QR matrix painted over
    /// its box (off only in tests, to check that librsvg's own drawing of the symbol already falls on whole dots).
    func bitmap(wholeSVGOf label: RenderedLabel, template: String, stamp: Bool = true) throws(LabelError) -> MonochromeBitmap {
        var bitmap = try rasterise(label.svg, label: label, template: template)
        if stamp { bitmap.stamp(label.matrix, at: label.placement) }
        return bitmap
    }

    /// `svg` at the label's size in dots, thresholded to 1 bit.
    private func rasterise(_ svg: String, label: RenderedLabel, template: String) throws(LabelError) -> MonochromeBitmap {
        let (width, height) = size(of: label)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        // Exactly dpi / 25.4 pixels per millimetre, so whole-dot positions land on pixel edges.
        let scale = Double(dpi) / 25.4
        let document = try SVGDocument(svg, template: template)
        try document.draw(on: cr, x: 0, y: 0, width: label.widthMM * scale, height: label.heightMM * scale, template: template)
        cairo_surface_flush(surface)

        var bitmap = MonochromeBitmap(width: width, height: height)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        bitmap.bits.withUnsafeMutableBufferPointer { bits in
            let bytesPerRow = (width + 7) / 8
            for y in 0..<height {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<width {
                    // RGB24: 0x00RRGGBB; dark where luminance is below half.
                    let pixel = row[x]
                    let luminance = (299 * Int(pixel >> 16 & 0xFF) + 587 * Int(pixel >> 8 & 0xFF) + 114 * Int(pixel & 0xFF)) / 1000
                    if luminance < 128 { bits[y * bytesPerRow + x / 8] |= 0x80 >> UInt8(x % 8) }
                }
            }
        }
        return bitmap
    }
}
