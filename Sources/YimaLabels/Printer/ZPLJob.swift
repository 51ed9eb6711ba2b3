/// Zebra Programming Language (ZPL II) for one label: the whole label, QR included, as
/// one ^GFA graphic field at the printer's resolution, so the printer draws our own
/// matrix and the text as rendered, with no printer fonts or printer-side QR encoder
/// (docs/labels.md §ZPL).
///
///     ^XA^PW320^LL240^LH0,0^FO0,0^GFA,9600,9600,40,<data>^FS^PQ1^XZ
///
/// The data uses ZPL's ASCII compression: hex digits, a repeat count before a digit
/// (G–Y = 1–19, g–z = 20–400), `,` for "rest of row 0", `!` for "rest of row F",
/// `:` for "same as the row above".
public enum ZPLJob {
    public static func label(_ bitmap: MonochromeBitmap) -> [UInt8] {
        let total = bitmap.bytesPerRow * bitmap.height
        var out = Array("^XA^PW\(bitmap.width)^LL\(bitmap.height)^LH0,0^FO0,0^GFA,\(total),\(total),\(bitmap.bytesPerRow),".utf8)
        out.reserveCapacity(out.count + total)
        appendCompressed(bitmap, to: &out)
        out += Array("^FS^PQ1^XZ\n".utf8)
        return out
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func appendCompressed(_ bitmap: MonochromeBitmap, to out: inout [UInt8]) {
        let bytesPerRow = bitmap.bytesPerRow
        var row = [UInt8](repeating: 0, count: bytesPerRow * 2)
        for y in 0..<bitmap.height {
            let start = y * bytesPerRow
            if y > 0 && bitmap.bits[start..<(start + bytesPerRow)].elementsEqual(bitmap.bits[(start - bytesPerRow)..<start]) {
                out.append(UInt8(ascii: ":"))
                continue
            }
            for i in 0..<bytesPerRow {
                let byte = bitmap.bits[start + i]
                row[2 * i] = hexDigits[Int(byte >> 4)]
                row[2 * i + 1] = hexDigits[Int(byte & 0xF)]
            }
            var i = 0
            while i < row.count {
                var j = i
                while j < row.count && row[j] == row[i] { j += 1 }
                if j == row.count && (row[i] == UInt8(ascii: "0") || row[i] == UInt8(ascii: "F")) {
                    out.append(row[i] == UInt8(ascii: "0") ? UInt8(ascii: ",") : UInt8(ascii: "!"))
                    break
                }
                appendCount(j - i, to: &out)
                out.append(row[i])
                i = j
            }
        }
    }

    /// A repeat count: multiples of 20 as g–z (z = 400, repeated as needed), the rest as G–Y.
    static func appendCount(_ count: Int, to out: inout [UInt8]) {
        guard count > 1 else { return }
        var rest = count
        while rest >= 400 { out.append(UInt8(ascii: "z")); rest -= 400 }
        if rest >= 20 { out.append(UInt8(ascii: "f") + UInt8(rest / 20)); rest %= 20 }
        if rest > 0 { out.append(UInt8(ascii: "F") + UInt8(rest)) }
    }
}
