import CRsvg

/// A PDF written page by page with cairo's PDF surface straight to its file, so a
/// 100,000-label job keeps flat memory. Labels are drawn as vectors by librsvg;
/// text stays text (fonts embedded as subsets).
final class PDFDocument {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    let path: String
    static let pointsPerMM = 72 / 25.4

    init(path: String, widthMM: Double, heightMM: Double, title: String) throws(LabelError) {
        surface = cairo_pdf_surface_create(path, widthMM * Self.pointsPerMM, heightMM * Self.pointsPerMM)
        cr = cairo_create(surface)
        self.path = path
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Yima (一码)")
        try check()
    }

    deinit {
        if let background { cairo_surface_destroy(background.surface) }
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// The batch's background layer, drawn once by librsvg into a recording surface and
    /// replayed on every page.
    private var background: (svg: String, surface: OpaquePointer)?

    /// Draws a label with its top-left corner at (`xMM`, `yMM`) on the current page: the
    /// background layer, the QR from its matrix (one path of module rectangles, in the
    /// placement's millimetres), and the per-label text.
    func draw(_ label: RenderedLabel, xMM: Double, yMM: Double, template: String) throws(LabelError) {
        let k = Self.pointsPerMM
        let width = label.widthMM * k, height = label.heightMM * k
        if background?.svg != label.background {
            if let old = background { cairo_surface_destroy(old.surface) }
            var extents = cairo_rectangle_t(x: 0, y: 0, width: width, height: height)
            let recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents)!
            let recorder = cairo_create(recording)!
            defer { cairo_destroy(recorder) }
            try SVGDocument(label.background, template: template).draw(on: recorder, x: 0, y: 0, width: width, height: height, template: template)
            background = (label.background, recording)
        }
        cairo_save(cr)
        cairo_translate(cr, xMM * k, yMM * k)
        cairo_set_source_surface(cr, background!.surface, 0, 0)
        cairo_rectangle(cr, 0, 0, width, height)
        cairo_fill(cr)

        cairo_scale(cr, k, k)
        let placement = label.placement, matrix = label.matrix
        let module = placement.moduleMM, dot = placement.dotMM
        let x0 = Double(placement.originX) * dot, y0 = Double(placement.originY) * dot
        cairo_rectangle(cr, x0, y0, Double(placement.sideDots) * dot, Double(placement.sideDots) * dot)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_fill(cr)
        let quiet = Double(LabelLayout.quietZoneModules)
        for y in 0..<matrix.size {
            var x = 0
            while x < matrix.size {
                guard matrix[x: x, y: y] else { x += 1; continue }
                let start = x
                while x < matrix.size && matrix[x: x, y: y] { x += 1 }
                cairo_rectangle(cr, x0 + (quiet + Double(start)) * module, y0 + (quiet + Double(y)) * module, Double(x - start) * module, module)
            }
        }
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_fill(cr)
        cairo_restore(cr)

        try SVGDocument(label.foreground, template: template).draw(on: cr, x: xMM * k, y: yMM * k, width: width, height: height, template: template)
    }

    func endPage() throws(LabelError) {
        cairo_show_page(cr)
        try check()
    }

    func finish() throws(LabelError) {
        cairo_surface_finish(surface)
        try check()
    }

    private func check() throws(LabelError) {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            let reason = String(cString: cairo_status_to_string(status))
            throw LabelError(.cannotWrite, ["path": path, "reason": reason])
        }
    }
}
