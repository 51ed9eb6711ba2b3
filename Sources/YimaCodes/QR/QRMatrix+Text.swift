extension QRMatrix {
    /// Renders the symbol as text for a terminal preview (`yima ... --format txt`).
    ///
    /// Each character covers one module column and two module rows, using the Unicode half
    /// blocks `▀`, `▄`, `█` and space, so the preview stays roughly square in a terminal font.
    /// Terminals draw glyphs in the foreground colour, so which modules get "ink" depends on the
    /// background: on a dark terminal the *light* modules must be drawn as blocks, or phones see
    /// an inverted code. Readers need a contrasting quiet zone all round, so it is drawn too.
    ///
    /// - Parameters:
    ///   - quietZone: Light modules around the symbol; ISO/IEC 18004:2015, §6.3.8, asks for 4.
    ///   - forDarkBackground: `true` (the usual terminal) inks light modules; `false` inks dark
    ///     modules, for light backgrounds and printing.
    /// - Returns: Lines separated by `"\n"`, with a trailing newline.
    public func text(quietZone: Int = 4, forDarkBackground: Bool = true) -> String {
        precondition(quietZone >= 0, "quietZone must not be negative, not \(quietZone)")
        let side = size + 2 * quietZone
        let lineCount = (side + 1) / 2
        // "█", "▀" and "▄" are 3 UTF-8 bytes each; one newline per line.
        let bound = lineCount * (side * 3 + 1)
        let fullBlock: StaticString = "█", upperHalf: StaticString = "▀", lowerHalf: StaticString = "▄"

        func isInked(_ x: Int, _ y: Int) -> Bool {
            let moduleX = x - quietZone, moduleY = y - quietZone
            let isDark = moduleX >= 0 && moduleX < size && moduleY >= 0 && moduleY < size
                && self[x: moduleX, y: moduleY]
            return isDark != forDarkBackground
        }

        return String(unsafeUninitializedCapacity: bound) { buffer in
            var out = UTF8ByteWriter(buffer: buffer)
            for line in 0..<lineCount {
                let top = 2 * line, bottom = 2 * line + 1
                for x in 0..<side {
                    // An odd side leaves the last line without a bottom row: treat it as uninked.
                    let topInked = isInked(x, top)
                    let bottomInked = bottom < side && isInked(x, bottom)
                    switch (topInked, bottomInked) {
                    case (true, true): out.append(fullBlock)
                    case (true, false): out.append(upperHalf)
                    case (false, true): out.append(lowerHalf)
                    case (false, false): out.append(byte: UInt8(ascii: " "))
                    }
                }
                out.append(byte: UInt8(ascii: "\n"))
            }
            return out.count
        }
    }
}
