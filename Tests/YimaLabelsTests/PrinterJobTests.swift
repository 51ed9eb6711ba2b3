import Foundation
import Testing
import YimaCodes
@testable import YimaLabels
import YimaTestSupport

/// ZPL and TSPL jobs decoded back into images, as a printer would, and read by zbarimg.
@Suite("Printer jobs")
struct PrinterJobTests {
    /// Expands ZPL's compressed ASCII graphic data (ZPL II manual, "Data compression scheme for ~DG, ^GF").
    static func decodeZPL(_ data: Substring, bytesPerRow: Int) -> [UInt8] {
        let hexPerRow = bytesPerRow * 2
        var rows: [[UInt8]] = []
        var row: [UInt8] = []
        var count = 0
        func endRow() { rows.append(row); row = [] }
        for c in data.utf8 {
            switch c {
            case UInt8(ascii: "G")...UInt8(ascii: "Y"): count += Int(c - UInt8(ascii: "F"))
            case UInt8(ascii: "g")...UInt8(ascii: "z"): count += Int(c - UInt8(ascii: "f")) * 20
            case UInt8(ascii: ","): row += repeatElement(UInt8(ascii: "0"), count: hexPerRow - row.count); endRow()
            case UInt8(ascii: "!"): row += repeatElement(UInt8(ascii: "F"), count: hexPerRow - row.count); endRow()
            case UInt8(ascii: ":"): row = rows.last!; endRow()
            default:
                row += repeatElement(c, count: max(count, 1))
                count = 0
                if row.count == hexPerRow { endRow() }
            }
        }
        let hex = rows.joined().map { Int(String(UnicodeScalar($0)), radix: 16)! }
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(hex[$0] << 4 | hex[$0 + 1]) }
    }

    static func label(dpi: Int) throws -> (UnitCode, MonochromeBitmap) {
        let code = try LabelFixture.code()
        let rendered = try LabelRenderer(template: LabelFixture.template("40x30"), dpi: dpi).render(LabelFixture.content(code))
        return (code, try LabelRasterizer(dpi: dpi).bitmap(rendered, template: "40x30"))
    }

    @Test("a ZPL job's ^GFA graphic decodes to the label and scans", arguments: [203, 300])
    func zpl(dpi: Int) throws {
        let dir = try TemporaryDirectory()
        let (code, bitmap) = try Self.label(dpi: dpi)
        let job = String(decoding: ZPLJob.label(bitmap), as: UTF8.self)
        #expect(job.hasPrefix("^XA^PW\(bitmap.width)^LL\(bitmap.height)"))
        #expect(job.hasSuffix("^XZ\n"))
        let field = try #require(job.range(of: "^GFA,"))
        let parameters = job[field.upperBound...].split(separator: ",", maxSplits: 3)
        let total = Int(parameters[0])!, bytesPerRow = Int(parameters[2])!
        #expect(total == bitmap.bits.count && Int(parameters[1]) == total && bytesPerRow == bitmap.bytesPerRow)
        let data = parameters[3].prefix(while: { $0 != "^" })
        #expect(data.count < total, "compressed below the raw byte count")
        let decoded = MonochromeBitmap(width: bitmap.width, height: bitmap.height, bits: Self.decodeZPL(data, bytesPerRow: bytesPerRow))
        #expect(decoded == bitmap)
        #expect(try LabelFixture.decode(png: decoded.png(), in: dir) == [code.uri])
    }

    @Test("ZPL compression round-trips blank, full, repeated and noisy rows")
    func zplCompression() {
        var bitmap = MonochromeBitmap(width: 851, height: 60)
        for y in 0..<60 {
            for x in 0..<851 {
                switch y {
                case 0..<10: break                                  // blank: ","
                case 10..<20: bitmap[x, y] = true                   // full: "!"
                case 20..<40: bitmap[x, y] = (x / 7 + y / 20) % 2 == 0  // repeated rows: ":"
                default: bitmap[x, y] = (x &* 2654435761 ^ y &* 40503) % 3 == 0
                }
            }
        }
        var out: [UInt8] = []
        ZPLJob.appendCompressed(bitmap, to: &out)
        let decoded = Self.decodeZPL(Substring(String(decoding: out, as: UTF8.self)), bytesPerRow: bitmap.bytesPerRow)
        #expect(decoded == bitmap.bits)
        var count: [UInt8] = []
        ZPLJob.appendCount(845, to: &count)
        #expect(String(decoding: count, as: UTF8.self) == "zzhK")
    }

    @Test("a TSPL job's BITMAP (0 = dot) decodes to the label and scans", arguments: [203, 300])
    func tspl(dpi: Int) throws {
        let dir = try TemporaryDirectory()
        let (code, bitmap) = try Self.label(dpi: dpi)
        let job = TSPLJob.label(bitmap, widthMM: 40, heightMM: 30, gapMM: 2)
        let header = "SIZE 40 mm,30 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\nBITMAP 0,0,\(bitmap.bytesPerRow),\(bitmap.height),0,"
        #expect(job.starts(with: Array(header.utf8)))
        let trailer = Array("\r\nPRINT 1,1\r\n".utf8)
        #expect(Array(job.suffix(trailer.count)) == trailer)
        let data = job.dropFirst(header.utf8.count).dropLast(trailer.count)
        #expect(data.count == bitmap.bits.count)
        let decoded = MonochromeBitmap(width: bitmap.width, height: bitmap.height, bits: data.map { ~$0 })
        #expect(decoded == bitmap)
        #expect(try LabelFixture.decode(png: decoded.png(), in: dir) == [code.uri])
    }
}
