/// An A4 print sheet: labels in a grid of whole printer dots, for office printers and
/// pre-cut A4 label stock (docs/labels.md §Print sheets).
public struct LabelSheet: Sendable, Equatable {
    public static let a4WidthMM = 210.0
    public static let a4HeightMM = 297.0
    public var marginMM: Double
    public var gapMM: Double

    public init(marginMM: Double = 8, gapMM: Double = 2) {
        self.marginMM = marginMM
        self.gapMM = gapMM
    }

    /// The top-left corners of the labels on one sheet, row by row, each on a whole dot at `dpi`.
    func cells(labelWidthMM: Double, labelHeightMM: Double, dpi: Int, template: String) throws(LabelError) -> [(x: Double, y: Double)] {
        let usableWidth = Self.a4WidthMM - 2 * marginMM, usableHeight = Self.a4HeightMM - 2 * marginMM
        let columns = Int(((usableWidth + gapMM) / (labelWidthMM + gapMM) + 1e-9).rounded(.down))
        let rows = Int(((usableHeight + gapMM) / (labelHeightMM + gapMM) + 1e-9).rounded(.down))
        guard columns >= 1, rows >= 1 else {
            throw LabelError(.sheetLabelTooLarge, ["template": template, "width": format(labelWidthMM), "height": format(labelHeightMM),
                                                   "margin": format(marginMM)])
        }
        let dot = 25.4 / Double(dpi)
        func snap(_ mm: Double) -> Double { (mm / dot).rounded() * dot }
        var cells: [(Double, Double)] = []
        for row in 0..<rows {
            for column in 0..<columns {
                cells.append((snap(marginMM + Double(column) * (labelWidthMM + gapMM)),
                              snap(marginMM + Double(row) * (labelHeightMM + gapMM))))
            }
        }
        return cells
    }
}
