extension LabelTemplate {
    /// Rejects a layout that does not fit its label (docs/labels.md §Layout rules): boxes
    /// outside the label, text over the QR code or its quiet zone, fields the label's kind
    /// does not have, font sizes below the legible minimum.
    func checkGeometry() throws(LabelError) {
        let width = layout.widthMM, height = layout.heightMM
        func fail(_ reason: LabelsMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> LabelError {
            LabelError { language in
                LabelsMessage.templateDoesNotFit.text(in: language, ["name": name, "width": format(width), "height": format(height),
                                                                     "reason": reason.text(in: language, arguments)])
            }
        }
        guard width > 0, height > 0, width <= 1000, height <= 1000 else {
            throw fail(.geometryLabelSize)
        }
        let qr = Rectangle(x: layout.qr.xMM, y: layout.qr.yMM, width: layout.qr.sizeMM, height: layout.qr.sizeMM)
        guard layout.qr.sizeMM > 0, qr.isInside(width: width, height: height) else {
            throw fail(.geometryQROutside, ["qr": qr])
        }
        for (field, box) in layout.text.sorted(by: { $0.key < $1.key }) {
            guard let known = LabelField(rawValue: field) else {
                let names = LabelField.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(.geometryUnknownField, ["field": field, "fields": names])
            }
            guard known.kinds.contains(layout.kind) else {
                throw fail(.geometryFieldNotInKind, ["kind": layout.kind.rawValue, "field": field])
            }
            let rect = Rectangle(x: box.xMM, y: box.yMM, width: box.widthMM, height: box.heightMM)
            guard box.widthMM > 0, box.heightMM > 0, rect.isInside(width: width, height: height) else {
                throw fail(.geometryBoxOutside, ["field": field, "box": rect])
            }
            guard !rect.overlaps(qr) else {
                throw fail(.geometryBoxOverQR, ["field": field, "box": rect, "qr": qr])
            }
            let minimum = box.minFontPt ?? box.fontPt
            guard minimum >= LabelLayout.minimumFontPt, box.fontPt >= minimum else {
                throw fail(.geometryFontSizes, ["field": field, "minimum": format(LabelLayout.minimumFontPt)])
            }
            guard (box.maxLines ?? 1) >= 1 else {
                throw fail(.geometryMaxLines, ["field": field])
            }
        }
    }
}

/// An axis-aligned rectangle in millimetres.
struct Rectangle: CustomStringConvertible {
    var x, y, width, height: Double

    func isInside(width labelWidth: Double, height labelHeight: Double) -> Bool {
        x >= 0 && y >= 0 && x + width <= labelWidth + 1e-9 && y + height <= labelHeight + 1e-9
    }

    func overlaps(_ other: Rectangle) -> Bool {
        x < other.x + other.width - 1e-9 && other.x < x + width - 1e-9
            && y < other.y + other.height - 1e-9 && other.y < y + height - 1e-9
    }

    var description: String { "(\(format(x)), \(format(y)), \(format(width))×\(format(height)) mm)" }
}

/// A millimetre or point figure for messages and SVG: up to four decimals, no trailing zeros.
func format(_ value: Double) -> String {
    var text = String(format: "%.4f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}
