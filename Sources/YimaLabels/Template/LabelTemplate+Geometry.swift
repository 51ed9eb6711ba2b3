extension LabelTemplate {
    /// Rejects a layout that does not fit its label (docs/labels.md §Layout rules): boxes
    /// outside the label, text over the QR code or its quiet zone, fields the label's kind
    /// does not have, font sizes below the legible minimum.
    func checkGeometry() throws(LabelError) {
        let width = layout.widthMM, height = layout.heightMM
        func fail(_ english: String, _ chinese: String) -> LabelError {
            LabelError("template \(name) does not fit its \(format(width))×\(format(height)) mm label: \(english)",
                       zh: "模板 \(name) 与其 \(format(width))×\(format(height)) 毫米标签不符：\(chinese)")
        }
        guard width > 0, height > 0, width <= 1000, height <= 1000 else {
            throw fail("the label size must be between 0 and 1000 mm", "标签尺寸应在 0 到 1000 毫米之间")
        }
        let qr = Rectangle(x: layout.qr.xMM, y: layout.qr.yMM, width: layout.qr.sizeMM, height: layout.qr.sizeMM)
        guard layout.qr.sizeMM > 0, qr.isInside(width: width, height: height) else {
            throw fail("the QR box \(qr) is not inside the label", "二维码区域 \(qr) 超出标签")
        }
        for (field, box) in layout.text.sorted(by: { $0.key < $1.key }) {
            guard let known = LabelField(rawValue: field) else {
                let names = LabelField.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("unknown text field \"\(field)\" (fields: \(names))", "未知文字字段“\(field)”（可用：\(names)）")
            }
            guard known.kinds.contains(layout.kind) else {
                throw fail("a \(layout.kind.rawValue) label has no field \"\(field)\"", "\(layout.kind.rawValue) 标签没有字段“\(field)”")
            }
            let rect = Rectangle(x: box.xMM, y: box.yMM, width: box.widthMM, height: box.heightMM)
            guard box.widthMM > 0, box.heightMM > 0, rect.isInside(width: width, height: height) else {
                throw fail("text box \"\(field)\" \(rect) is not inside the label", "文字框“\(field)” \(rect) 超出标签")
            }
            guard !rect.overlaps(qr) else {
                throw fail("text box \"\(field)\" \(rect) overlaps the QR code's box \(qr) (its quiet zone must stay blank)",
                           "文字框“\(field)” \(rect) 与二维码区域 \(qr) 重叠（二维码四周的空白区必须留白）")
            }
            let minimum = box.minFontPt ?? box.fontPt
            guard minimum >= LabelLayout.minimumFontPt, box.fontPt >= minimum else {
                throw fail("text box \"\(field)\": font sizes must satisfy \(format(LabelLayout.minimumFontPt)) ≤ min_font_pt ≤ font_pt",
                           "文字框“\(field)”：字号须满足 \(format(LabelLayout.minimumFontPt)) ≤ min_font_pt ≤ font_pt")
            }
            guard (box.maxLines ?? 1) >= 1 else {
                throw fail("text box \"\(field)\": max_lines must be at least 1", "文字框“\(field)”：max_lines 至少为 1")
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
