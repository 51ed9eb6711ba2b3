import Foundation
import Testing
import YimaCrypto
import YimaTestSupport

/// docs/test-vectors/base64-v1: every text decodes to its bytes in its one canonical
/// spelling, and every other spelling is refused (RFC 4648 §3.5).
@Suite struct Base64VectorTests {
    @Test(arguments: Base64Vectors.all.decode)
    func decodesOnlyTheCanonicalSpelling(_ vector: Base64Vectors.DecodeCase) throws {
        let decoded = vector.alphabet == "standard" ? Base64.decode(vector.text) : Base64.urlDecode(vector.text)
        if let hex = vector.bytes_hex {
            #expect(decoded.map(Hex.encode) == hex)
            let bytes = try #require(Hex.decode(hex))
            #expect((vector.alphabet == "standard" ? Base64.encode(bytes) : Base64.urlEncode(bytes)) == vector.text)
        } else {
            #expect(decoded == nil, "accepted although \(vector.refused ?? "")")
        }
    }

    @Test func everyOneBytePaddingBitVariantIsRefused() {
        // One byte is two symbols: 8 data bits and 4 unused ones. The 15 variants with
        // an unused bit set would decode to the same byte if those bits were ignored.
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for byte in 0...255 {
            let canonical = Base64.encode([UInt8(byte)])
            #expect(Base64.decode(canonical) == [UInt8(byte)])
            let second = symbols.firstIndex(of: Array(canonical)[1])!
            for unused in 1..<16 {
                let variant = String(Array(canonical)[0]) + String(symbols[second | unused]) + "=="
                #expect(Base64.decode(variant) == nil, "\(variant)")
                #expect(Base64.urlDecode(Base64.urlEncode([UInt8(byte)])) == [UInt8(byte)])
            }
        }
    }
}
