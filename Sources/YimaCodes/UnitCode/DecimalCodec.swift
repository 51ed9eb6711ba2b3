/// Fixed-width decimal encoding of byte strings, so that binary data rides in a QR
/// code's numeric mode (3.33 bits per digit, ISO/IEC 18004 §7.4.3) instead of 8-bit
/// mode (8 bits per character).
///
/// The bytes are read as one unsigned big-endian integer and written in base 10,
/// left-padded with zeros to `digitCount(forBytes:)` digits. The decoder takes only
/// exactly that many ASCII digits and rejects values that do not fit the byte count,
/// so every byte string has exactly one encoding.
public enum DecimalCodec {
    /// The smallest number of decimal digits that holds every `byteCount`-byte value:
    /// ceil(8 · n · log10 2). 64 bytes → 155 digits.
    public static func digitCount(forBytes byteCount: Int) -> Int {
        // 2^(8n) - 1 has as many digits as 2^(8n), which is never a power of ten.
        byteCount == 0 ? 0 : Int((Double(8 * byteCount) * 0.301_029_995_663_981_2).rounded(.down)) + 1
    }

    /// Appends the fixed-width decimal form of `bytes` to `out` as ASCII digits.
    public static func encode(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        let width = digitCount(forBytes: bytes.count)
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        guard width > 0 else { return }
        // Big-endian 32-bit limbs, divided by 10^9 until zero; each remainder gives
        // nine digits, written from the right end leftwards over the zero padding.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: (bytes.count + 3) / 4) { limbs in
            limbs.initialize(repeating: 0)
            for (i, byte) in bytes.reversed().enumerated() {
                limbs[limbs.count - 1 - i / 4] |= UInt32(byte) << UInt32(8 * (i % 4))
            }
            var position = out.count
            var first = limbs.firstIndex { $0 != 0 } ?? limbs.count
            while first < limbs.count {
                var remainder: UInt64 = 0
                for i in first..<limbs.count {
                    let value = remainder << 32 | UInt64(limbs[i])
                    limbs[i] = UInt32(value / 1_000_000_000)
                    remainder = value % 1_000_000_000
                }
                for _ in 0..<9 where position > start {
                    position -= 1
                    out[position] = UInt8(ascii: "0") + UInt8(remainder % 10)
                    remainder /= 10
                }
                while first < limbs.count && limbs[first] == 0 { first += 1 }
            }
        }
    }

    /// Decodes exactly `digitCount(forBytes: byteCount)` ASCII digits; nil if the
    /// text has another length, a non-digit, or a value of more than `byteCount` bytes.
    public static func decode(_ digits: some Collection<UInt8>, byteCount: Int) -> [UInt8]? {
        guard digits.count == digitCount(forBytes: byteCount) else { return nil }
        // Little-endian 32-bit limbs; multiply-add nine digits at a time.
        var limbs = [UInt32](repeating: 0, count: (byteCount + 3) / 4 + 1)
        var chunk: UInt64 = 0
        var chunkScale: UInt64 = 1
        func flush() -> Bool {
            var carry = chunk
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * chunkScale + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            chunk = 0
            chunkScale = 1
            return carry == 0
        }
        for c in digits {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            chunk = chunk * 10 + UInt64(c - UInt8(ascii: "0"))
            chunkScale *= 10
            if chunkScale == 1_000_000_000, !flush() { return nil }
        }
        if chunkScale > 1, !flush() { return nil }
        var bytes = [UInt8](repeating: 0, count: limbs.count * 4)
        for (i, limb) in limbs.enumerated() {
            for j in 0..<4 { bytes[bytes.count - 1 - (4 * i + j)] = UInt8(truncatingIfNeeded: limb >> UInt32(8 * j)) }
        }
        // Everything above the low `byteCount` bytes must be zero.
        let excess = bytes.count - byteCount
        guard bytes.prefix(excess).allSatisfy({ $0 == 0 }) else { return nil }
        return Array(bytes.suffix(byteCount))
    }
}
