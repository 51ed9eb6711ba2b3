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
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Draws a label with its top-left corner at (`xMM`, `yMM`) on the current page.
    func draw(_ label: RenderedLabel, xMM: Double, yMM: Double, template: String) throws(LabelError) {
        let document = try SVGDocument(label.svg, template: template)
        let k = Self.pointsPerMM
        try document.draw(on: cr, x: xMM * k, y: yMM * k, width: label.widthMM * k, height: label.heightMM * k, template: template)
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
            throw LabelError("cannot write \(path): \(reason)", zh: "无法写入 \(path)：\(reason)")
        }
    }
}
