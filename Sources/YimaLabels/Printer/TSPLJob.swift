/// TSPL (TSC and the many compatible printers sold in China) for one label: the label's
/// size and gap, then the whole label, QR included, as one BITMAP at the printer's
/// resolution (docs/labels.md §TSPL).
///
///     SIZE 40 mm,30 mm␍␊GAP 2 mm,0 mm␍␊CLS␍␊BITMAP 0,0,40,240,0,<bytes>␍␊PRINT 1,1␍␊
///
/// BITMAP data is raw binary, rows of width-in-bytes, leftmost dot in the most
/// significant bit, and — unlike ZPL — a 0 bit prints a dot, a 1 bit leaves it white.
public enum TSPLJob {
    public static func label(_ bitmap: MonochromeBitmap, widthMM: Double, heightMM: Double, gapMM: Double) -> [UInt8] {
        var out = Array("SIZE \(format(widthMM)) mm,\(format(heightMM)) mm\r\nGAP \(format(gapMM)) mm,0 mm\r\nCLS\r\n".utf8)
        out += Array("BITMAP 0,0,\(bitmap.bytesPerRow),\(bitmap.height),0,".utf8)
        out.reserveCapacity(out.count + bitmap.bits.count + 16)
        for byte in bitmap.bits { out.append(~byte) }
        // Padding bits past the label's width stay white.
        out += Array("\r\nPRINT 1,1\r\n".utf8)
        return out
    }
}
