extension QRMatrix {
    /// Renders the symbol as a standalone SVG document.
    ///
    /// The drawing is in module units (`viewBox="0 0 n n"` with `n = size + 2 * quietZone`), so
    /// it scales without loss; `width` and `height` are `n * moduleSize` (CSS pixels).
    /// All dark modules form a single `<path>`: each horizontal run of dark modules becomes one
    /// `M x y h w v1 h-w z` rectangle, which keeps a version 9 symbol around 10 KB.
    /// `shape-rendering="crispEdges"` stops renderers anti-aliasing the shared edges of
    /// adjacent rectangles into faint seams. The background is an explicit white rectangle
    /// so the code stays readable on dark or transparent pages.
    ///
    /// - Parameters:
    ///   - moduleSize: Width and height of one module in the `width`/`height` attributes; at least 1.
    ///   - quietZone: Light modules around the symbol. ISO/IEC 18004:2015, §6.3.8, requires 4;
    ///     use less only where the surrounding layout guarantees a light margin.
    /// - Returns: The SVG document, UTF-8 (plain ASCII), ending with a newline.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        let bound = svgByteCountBound(moduleSize: moduleSize, quietZone: quietZone)
        return String(unsafeUninitializedCapacity: bound) { buffer in
            writeSVG(into: buffer, moduleSize: moduleSize, quietZone: quietZone)
        }
    }

    /// Renders the symbol as SVG, like ``svg(moduleSize:quietZone:)``, as UTF-8 bytes ready
    /// to send or write, without going through `String`.
    public func svgBytes(moduleSize: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let bound = svgByteCountBound(moduleSize: moduleSize, quietZone: quietZone)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, initializedCount in
            initializedCount = writeSVG(into: buffer, moduleSize: moduleSize, quietZone: quietZone)
        }
    }

    /// An upper bound on the SVG length, so the output is allocated exactly once.
    private func svgByteCountBound(moduleSize: Int, quietZone: Int) -> Int {
        precondition(moduleSize >= 1, "moduleSize must be at least 1, not \(moduleSize)")
        precondition(quietZone >= 0, "quietZone must not be negative, not \(quietZone)")
        let sideInModules = size + 2 * quietZone
        let coordinateDigits = UTF8ByteWriter.decimalDigitCount(sideInModules)
        // Header and footer: under 250 bytes of fixed text plus six numbers of at most 20 digits,
        // and the 4 spare bytes UTF8ByteWriter.append(decimal:) may touch past its digits.
        let fixedPart = 512
        // A row of `size` modules has at most (size + 1) / 2 dark runs; each is written as
        // "M" x " " y "h" w "v1h-" w "z": 8 fixed bytes and four numbers.
        let runsBound = size * ((size + 1) / 2)
        return fixedPart + runsBound * (8 + 4 * coordinateDigits)
    }

    private func writeSVG(into buffer: UnsafeMutableBufferPointer<UInt8>, moduleSize: Int, quietZone: Int) -> Int {
        let sideInModules = size + 2 * quietZone
        let sideInPixels = sideInModules * moduleSize
        var out = UTF8ByteWriter(buffer: buffer)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width=""#)
        out.append(decimal: sideInPixels)
        out.append(#"" height=""#)
        out.append(decimal: sideInPixels)
        out.append(#"" viewBox="0 0 "#)
        out.append(decimal: sideInModules)
        out.append(byte: UInt8(ascii: " "))
        out.append(decimal: sideInModules)
        out.append(#"" shape-rendering="crispEdges"><rect width=""#)
        out.append(decimal: sideInModules)
        out.append(#"" height=""#)
        out.append(decimal: sideInModules)
        out.append(##"" fill="#fff"/><path fill="#000" d=""##)
        for y in 0..<size {
            let row = y + quietZone
            forEachDarkRun(inRow: y) { start, end in
                out.append(byte: UInt8(ascii: "M"))
                out.append(decimal: start + quietZone)
                out.append(byte: UInt8(ascii: " "))
                out.append(decimal: row)
                out.append(byte: UInt8(ascii: "h"))
                out.append(decimal: end - start)
                out.append("v1h-")
                out.append(decimal: end - start)
                out.append(byte: UInt8(ascii: "z"))
            }
        }
        out.append("\"/></svg>\n")
        return out.count
    }
}
