import Testing
import YimaCodes

@Suite struct DecimalCodecTests {
    @Test func widthIsTheSmallestThatHoldsEveryValue() {
        #expect(DecimalCodec.digitCount(forBytes: 1) == 3)     // 255
        #expect(DecimalCodec.digitCount(forBytes: 4) == 10)    // 4294967295
        #expect(DecimalCodec.digitCount(forBytes: 8) == 20)    // 18446744073709551615
        #expect(DecimalCodec.digitCount(forBytes: 64) == 155)
    }

    @Test func knownValues() {
        var out = [UInt8]()
        DecimalCodec.encode([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "18446744073709551615")
        out = []
        DecimalCodec.encode([0, 0, 1, 0], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "0000000256")
        // 2^512 - 1, the largest 64-byte value.
        out = []
        DecimalCodec.encode([UInt8](repeating: 0xff, count: 64), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "13407807929942597099574024998205846127479365820592393377723561443721764030073546976801874298166903427690031858186486050853753882811946569946433649006084095")
    }

    @Test func roundTripsRandomBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in [1, 2, 3, 4, 5, 8, 13, 32, 64, 65] {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var digits = [UInt8]()
                DecimalCodec.encode(bytes, into: &digits)
                #expect(digits.count == DecimalCodec.digitCount(forBytes: length))
                #expect(DecimalCodec.decode(digits, byteCount: length) == bytes)
            }
        }
    }

    @Test func decodeRejectsWhatIsNotACanonicalEncoding() {
        #expect(DecimalCodec.decode(Array("256".utf8), byteCount: 1) == nil)       // over 255
        #expect(DecimalCodec.decode(Array("255".utf8), byteCount: 1) == [255])
        #expect(DecimalCodec.decode(Array("25".utf8), byteCount: 1) == nil)        // wrong width
        #expect(DecimalCodec.decode(Array("2a5".utf8), byteCount: 1) == nil)
        #expect(DecimalCodec.decode(Array(String(repeating: "9", count: 155).utf8), byteCount: 64) == nil)
    }
}
