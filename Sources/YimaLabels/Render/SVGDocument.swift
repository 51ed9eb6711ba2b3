import CRsvg
import Foundation

/// One SVG parsed by librsvg, ready to draw on any cairo surface (image or PDF).
final class SVGDocument {
    private let handle: UnsafeMutablePointer<RsvgHandle>

    /// Parses `svg`. A parse error names the line of the SVG (as rendered from `template`) and shows it.
    init(_ svg: String, template: String) throws(LabelError) {
        var error: UnsafeMutablePointer<GError>?
        let parsed = svg.utf8CString.withUnsafeBytes { bytes in
            rsvg_handle_new_from_data(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), gsize(bytes.count - 1), &error)
        }
        guard let parsed else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw Self.parseError(message, svg: svg, template: template)
        }
        handle = parsed
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(handle)) }

    /// Draws the whole document scaled into the rectangle (in the surface's units).
    func draw(on cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double, template: String) throws(LabelError) {
        var viewport = RsvgRectangle(x: x, y: y, width: width, height: height)
        var error: UnsafeMutablePointer<GError>?
        guard rsvg_handle_render_document(handle, cr, &viewport, &error) != 0 else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw LabelError(.librsvgCannotDraw, ["template": template, "reason": message])
        }
    }

    /// librsvg's XML errors say "line N column M"; the message quotes that line of the rendered SVG.
    private static func parseError(_ message: String, svg: String, template: String) -> LabelError {
        if let range = message.range(of: #"line (\d+)"#, options: .regularExpression),
           let line = Int(message[range].dropFirst(5)) {
            let lines = svg.split(separator: "\n", omittingEmptySubsequences: false)
            if line >= 1 && line <= lines.count {
                let text = lines[line - 1].trimmingCharacters(in: .whitespaces)
                let source = text.count > 120 ? String(text.prefix(120)) + "…" : text
                return LabelError(.svgInvalidAtLine, ["template": template, "reason": message, "line": line, "source": source])
            }
        }
        return LabelError(.svgInvalid, ["template": template, "reason": message])
    }
}
