import YimaCodes

/// Where a QR symbol lands on a label printed at `dpi`: every module a whole number of
/// printer dots, the symbol's corner on a whole dot, the quiet zone inside the layout's
/// QR box (docs/labels.md §Layout rules). Thermal heads print whole dots; a module of
/// 2.4 dots would print as 2 or 3 and make the code harder to read.
public struct QRPlacement: Sendable, Equatable {
    public let dpi: Int
    /// Modules per side, quiet zone included.
    public let modulesWithQuietZone: Int
    public let dotsPerModule: Int
    /// The top-left corner of the quiet zone, in dots from the label's corner.
    public let originX: Int
    public let originY: Int

    public var dotMM: Double { 25.4 / Double(dpi) }
    public var moduleMM: Double { Double(dotsPerModule) * dotMM }
    public var sideDots: Int { modulesWithQuietZone * dotsPerModule }

    /// The placement of a `symbolSize`-module symbol in `box`, or an error if its modules
    /// would be smaller than the minimum (``LabelLayout/minimumModuleMM``, the template's own
    /// `min_module_mm`, and ``LabelLayout/minimumDotsPerModule`` dots).
    public init(symbolSize: Int, version: Int, box: LabelLayout.QRBox, dpi: Int, template: String) throws(LabelError) {
        let dot = 25.4 / Double(dpi)
        let side = symbolSize + 2 * LabelLayout.quietZoneModules
        let boxDots = Int((box.sizeMM / dot + 1e-9).rounded(.down))
        let minimumMM = max(LabelLayout.minimumModuleMM, box.minModuleMM ?? 0)
        // The smallest whole number of dots that meets both floors.
        let neededDots = max(LabelLayout.minimumDotsPerModule, Int((minimumMM / dot - 1e-6).rounded(.up)))
        let dotsPerModule = boxDots / side
        guard dotsPerModule >= neededDots else {
            let neededMM = Double(neededDots * side) * dot
            throw LabelError(.qrBoxTooSmall, ["template": template, "version": version, "side": side, "dpi": dpi, "needed": format(neededMM),
                                              "dots": neededDots, "minimum": format(minimumMM), "box": format(box.sizeMM)])
        }
        self.dpi = dpi
        modulesWithQuietZone = side
        self.dotsPerModule = dotsPerModule
        let sideDots = side * dotsPerModule
        // Centred in the box, rounded to whole dots, kept inside the box.
        func origin(_ start: Double) -> Int {
            let first = Int((start / dot - 1e-9).rounded(.up))
            let last = Int(((start + box.sizeMM) / dot + 1e-9).rounded(.down)) - sideDots
            let centred = Int(((start + box.sizeMM / 2) / dot - Double(sideDots) / 2).rounded())
            return min(max(centred, first), last)
        }
        originX = origin(box.xMM)
        originY = origin(box.yMM)
    }

    /// The symbol as an SVG group in millimetres: a white square over the quiet zone and
    /// one path of dark modules, with crisp edges so rasterisers do not blur module edges.
    func svg(_ matrix: QRMatrix) -> String {
        let dot = dotMM
        let x = format(Double(originX) * dot), y = format(Double(originY) * dot)
        let side = format(Double(sideDots) * dot)
        let path = matrix.svgPathData(quietZone: LabelLayout.quietZoneModules)
        return ##"<g shape-rendering="crispEdges"><rect x="\##(x)" y="\##(y)" width="\##(side)" height="\##(side)" fill="#fff"/>"##
            + ##"<path fill="#000" transform="translate(\##(x) \##(y)) scale(\##(format(moduleMM)))" d="\##(path)"/></g>"##
    }
}
