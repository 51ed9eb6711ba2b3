import YimaCodes

/// A 1-bit image the size of a label at a printer's resolution: what a thermal head
/// prints, dot for dot. Rows of `bytesPerRow` bytes, the leftmost dot in the most
/// significant bit, a set bit black — ZPL's ^GF layout (TSPL's BITMAP is the inverse).
public struct MonochromeBitmap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var bytesPerRow: Int { (width + 7) / 8 }
    public internal(set) var bits: [UInt8]

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        bits = [UInt8](repeating: 0, count: (width + 7) / 8 * height)
    }

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(bits.count == (width + 7) / 8 * height, "bitmap data does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.bits = bits
    }

    public subscript(x: Int, y: Int) -> Bool {
        get { bits[y * bytesPerRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0 }
        set {
            let index = y * bytesPerRow + x / 8, mask = UInt8(0x80) >> UInt8(x % 8)
            if newValue { bits[index] |= mask } else { bits[index] &= ~mask }
        }
    }

    /// Paints `matrix` with its quiet zone at `placement`, module by module on whole dots,
    /// over whatever was rasterised there: the printed symbol is exactly the signed one.
    mutating func stamp(_ matrix: QRMatrix, at placement: QRPlacement) {
        let quiet = LabelLayout.quietZoneModules, dots = placement.dotsPerModule
        for moduleY in 0..<placement.modulesWithQuietZone {
            for moduleX in 0..<placement.modulesWithQuietZone {
                let x = moduleX - quiet, y = moduleY - quiet
                let dark = x >= 0 && y >= 0 && x < matrix.size && y < matrix.size && matrix[x: x, y: y]
                for dy in 0..<dots {
                    let row = placement.originY + moduleY * dots + dy
                    guard row >= 0 && row < height else { continue }
                    for dx in 0..<dots {
                        let column = placement.originX + moduleX * dots + dx
                        if column >= 0 && column < width { self[column, row] = dark }
                    }
                }
            }
        }
    }

    /// A 1-bit grey PNG (black and white), one pixel per printer dot.
    public func png() throws(LabelError) -> [UInt8] {
        // One palette index per pixel: 0 black, 1 white.
        var indices = [UInt8](repeating: 1, count: width * height)
        for y in 0..<height {
            let rowBase = y * bytesPerRow
            for x in 0..<width where bits[rowBase + x / 8] & (0x80 >> UInt8(x % 8)) != 0 {
                indices[y * width + x] = 0
            }
        }
        do { return try TwoTonePNG.encode(indices: indices, width: width, height: height) } catch {
            throw LabelError(.pngEncodingFailed, ["reason": error])
        }
    }
}
