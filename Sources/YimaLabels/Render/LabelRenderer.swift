import YimaCodes

/// What one label shows: the QR code's text and the fields' values.
public struct LabelContent: Sendable {
    /// The exact text of the QR code: a signed unit code, or an SSCC Digital Link URI.
    public var code: String
    public var fields: [LabelField: String]

    public init(code: String, fields: [LabelField: String]) {
        self.code = code
        self.fields = fields
    }
}

/// One label ready for output: its SVG, and the QR matrix and placement the SVG draws,
/// so raster outputs can print exactly that matrix.
///
/// Also the same label in layers, for outputs that draw many labels of one batch: the
/// `background` (the template with every field that is the same on each label, and no QR)
/// is one shared string for the whole run and is drawn once; per label only the QR
/// (from the matrix) and the `foreground` (the per-label fields, the short code) are drawn.
public struct RenderedLabel: Sendable {
    public let svg: String
    public let matrix: QRMatrix
    public let placement: QRPlacement
    public let widthMM: Double
    public let heightMM: Double
    let background: String
    let foreground: String
}

/// Turns label content into SVG through a template: places the QR on whole printer dots,
/// fits every text field into its box, and fills the template's Mustache model
/// (docs/labels.md §Template model). Fields repeated from label to label (everything but
/// the code and the short code on a batch's labels) are fitted once.
///
/// Not thread-safe (Pango); use one renderer per thread.
public final class LabelRenderer {
    public let template: LabelTemplate
    public let dpi: Int
    public let errorCorrection: QRErrorCorrection
    private let fitter = TextFitter()
    private var fitted: [String: (value: String, svg: String)] = [:]
    private var background: (key: [String], svg: String)?

    /// Fields that change from label to label of a batch, drawn in the foreground layer.
    static let perLabelFields: Set<String> = [LabelField.shortCode.rawValue]

    /// Printer resolutions a label may be rendered for.
    public static let dpiRange = 100...1200

    public init(template: LabelTemplate, dpi: Int, errorCorrection: QRErrorCorrection = .Q) throws(LabelError) {
        guard Self.dpiRange.contains(dpi) else {
            throw LabelError(.dpiOutOfRange, ["dpi": dpi, "lowest": Self.dpiRange.lowerBound, "highest": Self.dpiRange.upperBound])
        }
        self.template = template
        self.dpi = dpi
        self.errorCorrection = errorCorrection
    }

    public func render(_ content: LabelContent) throws(LabelError) -> RenderedLabel {
        let layout = template.layout
        let matrix: QRMatrix
        do { matrix = try QRMatrix.encode(content.code, errorCorrection: errorCorrection) } catch {
            throw LabelError(.qrEncodingFailed, ["reason": error])
        }
        let placement = try QRPlacement(symbolSize: matrix.size, version: matrix.version, box: layout.qr, dpi: dpi, template: template.name)
        var model: [String: Any] = [
            "width_mm": format(layout.widthMM), "height_mm": format(layout.heightMM),
            "font_family": layout.fontFamily, "qr": "", "dpi": dpi,
        ]
        var backgroundKey: [String] = []
        var perLabel: [String: String] = [:]
        for (field, box) in layout.text.sorted(by: { $0.key < $1.key }) {
            let value = (box.prefix ?? "") + (LabelField(rawValue: field).flatMap { content.fields[$0] } ?? "")
            let svg = try fittedSVG(value, field: field, box: box)
            if Self.perLabelFields.contains(field) {
                perLabel[field] = svg
                model[field] = ""
            } else {
                model[field] = svg
                backgroundKey.append(value)
            }
        }
        if background?.key != backgroundKey {
            background = (backgroundKey, template.render(model))
        }
        let foreground = perLabel.values.joined()
        model.merge(perLabel) { $1 }
        model["qr"] = placement.svg(matrix)
        let size = (format(layout.widthMM), format(layout.heightMM))
        return RenderedLabel(
            svg: template.render(model), matrix: matrix, placement: placement, widthMM: layout.widthMM, heightMM: layout.heightMM,
            background: background!.svg,
            foreground: #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(size.0)mm" height="\#(size.1)mm" viewBox="0 0 \#(size.0) \#(size.1)">\#(foreground)</svg>"#)
    }

    /// The `<text>` elements for one field, from the cache when the value repeats.
    private func fittedSVG(_ value: String, field: String, box: LabelLayout.TextBox) throws(LabelError) -> String {
        if let cached = fitted[field], cached.value == value { return cached.svg }
        var svg = ""
        if !value.trimmingCharacters(in: .whitespaces).isEmpty {
            let text = try fitter.fit(value, into: box, family: template.layout.fontFamily, field: field, template: template.name)
            let weight = box.bold == true ? #" font-weight="bold""# : ""
            for line in text.lines {
                svg += #"<text x="\#(format(line.x))" y="\#(format(line.baseline))" font-family="\#(escapeXML(template.layout.fontFamily))" font-size="\#(format(text.fontMM))"\#(weight) text-anchor="\#(text.anchor)">\#(escapeXML(line.text))</text>"#
            }
        }
        fitted[field] = (value, svg)
        return svg
    }
}

/// Text as XML character data or attribute value.
func escapeXML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(character)
        }
    }
    return out
}
