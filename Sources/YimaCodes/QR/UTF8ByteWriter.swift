/// Appends UTF-8 text literals and decimal numbers to a caller-provided byte buffer.
///
/// The renderers compute an upper bound for their output, allocate it once, and write
/// through this type: no `String` interpolation, no reallocation, one bounds check per append.
struct UTF8ByteWriter: ~Copyable {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The number of bytes written so far.
    private(set) var count = 0

    init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        precondition(text.hasPointerRepresentation, "renderer text must be a string literal")
        let length = text.utf8CodeUnitCount
        precondition(count + length <= buffer.count, "renderer output exceeded its computed bound")
        (buffer.baseAddress! + count).update(from: text.utf8Start, count: length)
        count += length
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        precondition(count < buffer.count, "renderer output exceeded its computed bound")
        buffer[count] = byte
        count += 1
    }

    /// Appends a non-negative integer in decimal, without leading zeros.
    @inline(__always)
    mutating func append(decimal value: Int) {
        precondition(value >= 0, "only non-negative numbers are written")
        if value < Self.smallDecimals.count {
            // Renderers mostly write coordinates below 1000: one table load and one 4-byte store.
            // The store may spill one byte past the digits; callers' bounds include 4 spare bytes.
            let entry = Self.smallDecimals[value]
            precondition(count + 4 <= buffer.count, "renderer output exceeded its computed bound")
            UnsafeMutableRawPointer(buffer.baseAddress! + count).storeBytes(of: entry.littleEndian, as: UInt32.self)
            count += Int(entry >> 24)
            return
        }
        let length = Self.decimalDigitCount(value)
        precondition(count + length <= buffer.count, "renderer output exceeded its computed bound")
        var remaining = value
        var index = count + length
        repeat {
            index -= 1
            let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
            buffer[index] = UInt8(truncatingIfNeeded: digit) &+ UInt8(ascii: "0")
            remaining = quotient
        } while remaining > 0
        count += length
    }

    /// Decimal forms of 0...999: ASCII digits in the low three bytes (little-endian order),
    /// digit count in the high byte.
    private static let smallDecimals: [UInt32] = (0..<1000).map { value in
        let digits = Array(String(value).utf8)
        var entry = UInt32(digits.count) << 24
        for (index, digit) in digits.enumerated() { entry |= UInt32(digit) << (8 * UInt32(index)) }
        return entry
    }

    /// The number of characters `append(decimal:)` writes for `value` (at least 1).
    static func decimalDigitCount(_ value: Int) -> Int {
        var digits = 1
        var remaining = value
        while remaining >= 10 {
            remaining /= 10
            digits += 1
        }
        return digits
    }
}
