extension QRMatrix {
    /// The dark modules as SVG path data in module units, one `M x y h w v1 h-w z`
    /// rectangle per horizontal run, with the symbol's top-left module at
    /// (`quietZone`, `quietZone`): the `d` attribute of ``svg(moduleSize:quietZone:)``'s path,
    /// for documents (labels) that place the symbol themselves with a transform.
    public func svgPathData(quietZone: Int = 0) -> String {
        var out = ""
        out.reserveCapacity(size * size)
        for y in 0..<size {
            forEachDarkRun(inRow: y) { start, end in
                out += "M\(start + quietZone) \(y + quietZone)h\(end - start)v1h-\(end - start)z"
            }
        }
        return out
    }
}
