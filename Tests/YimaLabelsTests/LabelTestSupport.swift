import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaLabels
import YimaTestSupport

/// Shared pieces of the label tests: the repository's templates, real signed codes,
/// and zbarimg as the independent reader of everything we print.
enum LabelFixture {
    static let templates = Repository.root.appendingPathComponent("templates/labels").path
    static let base = try! ResolverBase("https://TRACE.MAOXIAN.GOV.CN")
    static let key = try! PrivateKey.generate(.ed25519)

    /// A real signed unit code for a 14-character lot, as `yima issue` makes them.
    static func code(serial: String = UnitCodeAlphabet.randomSerial()) throws -> UnitCode {
        try UnitCodeIssuer(key: key, base: base).issue(gtin: "02951322300010", lot: "MX-2026-APL-07", serial: serial)
    }

    static func content(_ code: UnitCode, product: String = "红富士苹果") -> LabelContent {
        LabelContent(code: code.uri, fields: [
            .product: product, .producer: "茂县凤仪镇果椒专业合作社", .origin: "凤仪镇坪头村 3 号地块",
            .lot: code.lot, .date: "2026-10-08", .gtin: code.gtin, .shortCode: ShortCode(serial: code.serial)!.description,
        ])
    }

    static func template(_ name: String) throws -> LabelTemplate {
        try LabelTemplate.load(name, from: templates)
    }

    /// What zbarimg reads in a PNG, one symbol per line.
    static func decode(png: [UInt8], in dir: TemporaryDirectory, name: String = "label.png") throws -> [String] {
        let path = dir.file(name)
        try Data(png).write(to: URL(fileURLWithPath: path))
        return try decode(file: path)
    }

    static func decode(file path: String) throws -> [String] {
        let result = try run("zbarimg", ["--raw", "-q", "-Sqrcode.enable", path])
        #expect(result.status == 0, "zbarimg found no QR code in \(path): \(result.stderr)")
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Black dots inside a rectangle given in millimetres.
    static func ink(_ bitmap: MonochromeBitmap, xMM: Double, yMM: Double, widthMM: Double, heightMM: Double, dpi: Int) -> Int {
        let k = Double(dpi) / 25.4
        var count = 0
        for y in Int(yMM * k)..<min(bitmap.height, Int(((yMM + heightMM) * k).rounded(.up))) {
            for x in Int(xMM * k)..<min(bitmap.width, Int(((xMM + widthMM) * k).rounded(.up))) where bitmap[x, y] {
                count += 1
            }
        }
        return count
    }
}
