import CPangoCairo
import CRsvg
import Foundation

/// Text fitted into a layout box: the font size and the lines, each with its baseline.
struct FittedText {
    var fontMM: Double
    var lines: [(text: String, x: Double, baseline: Double)]
    var anchor: String
}

/// Measures real text with Pango — the layout engine librsvg draws SVG text with, on the
/// same fonts — to shrink and wrap each field into its box. Text that does not fit at the
/// box's smallest size is an error, never an overflow (docs/labels.md §Text).
///
/// One fitter per thread: Pango contexts are not thread-safe.
final class TextFitter {
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    /// Pango works in device units; one unit is 1/`scale` mm, so layouts are exact to 0.01 mm.
    private let scale = 100.0
    /// Kept free at the right of a box: librsvg may position glyphs a hair differently.
    private let slack = 0.02

    init() {
        fontMap = pango_cairo_font_map_new()!
        context = pango_font_map_create_context(fontMap)!
        // Unhinted metrics scale linearly with size, as librsvg's do.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(fontMap)
    }

    /// Fits `text` into `box`, trying sizes from `font_pt` down to `min_font_pt` in half points.
    func fit(_ text: String, into box: LabelLayout.TextBox, family: String, field: String, template: String) throws(LabelError) -> FittedText {
        let layout = pango_layout_new(context)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_text(layout, text, -1)
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family)
        pango_font_description_set_weight(description, box.bold == true ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)

        let maxLines = box.maxLines ?? 1
        let widthUnits = box.widthMM * (1 - slack) * scale
        pango_layout_set_width(layout, Int32(widthUnits * Double(PANGO_SCALE)))
        var points = box.fontPt
        let smallest = box.minFontPt ?? box.fontPt
        while points >= smallest - 1e-9 {
            let fontMM = points * LabelLayout.mmPerPoint
            pango_font_description_set_absolute_size(description, fontMM * scale * Double(PANGO_SCALE))
            pango_layout_set_font_description(layout, description)
            if pango_layout_get_unknown_glyphs_count(layout) > 0 {
                throw LabelError(.noFontForText, ["template": template, "field": field, "text": text])
            }
            var ink = PangoRectangle(), logical = PangoRectangle()
            pango_layout_get_extents(layout, &ink, &logical)
            let lineCount = Int(pango_layout_get_line_count(layout))
            let heightMM = Double(logical.height) / Double(PANGO_SCALE) / scale
            let widthMM = Double(logical.width) / Double(PANGO_SCALE) / scale
            if lineCount <= maxLines && heightMM <= box.heightMM + 1e-9 && widthMM <= box.widthMM * (1 - slack) + 1e-9 {
                return lines(of: layout, text: text, box: box, fontMM: fontMM, blockHeight: heightMM)
            }
            points -= 0.5
        }
        throw LabelError { language in
            let lines = maxLines == 1 ? LabelsMessage.boxOneLine.text(in: language)
                : LabelsMessage.boxLines.text(in: language, ["count": maxLines])
            return LabelsMessage.textTooLong.text(in: language, ["template": template, "text": text, "field": field, "smallest": format(smallest),
                                                                "width": format(box.widthMM), "height": format(box.heightMM), "lines": lines])
        }
    }

    /// The laid-out lines with their baselines, the block centred vertically in the box.
    private func lines(of layout: OpaquePointer, text: String, box: LabelLayout.TextBox, fontMM: Double, blockHeight: Double) -> FittedText {
        let top = box.yMM + (box.heightMM - blockHeight) / 2
        let (anchor, x): (String, Double) = switch box.align ?? .start {
        case .start: ("start", box.xMM)
        case .middle: ("middle", box.xMM + box.widthMM / 2)
        case .end: ("end", box.xMM + box.widthMM)
        }
        let bytes = Array(text.utf8)
        var result: [(String, Double, Double)] = []
        let iterator = pango_layout_get_iter(layout)!
        defer { pango_layout_iter_free(iterator) }
        repeat {
            guard let line = pango_layout_iter_get_line_readonly(iterator) else { continue }
            let start = Int(line.pointee.start_index), length = Int(line.pointee.length)
            let piece = String(decoding: bytes[start..<min(start + length, bytes.count)], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            let baseline = Double(pango_layout_iter_get_baseline(iterator)) / Double(PANGO_SCALE) / scale
            if !piece.isEmpty { result.append((piece, x, top + baseline)) }
        } while pango_layout_iter_next_line(iterator) != 0
        return FittedText(fontMM: fontMM, lines: result, anchor: anchor)
    }
}
