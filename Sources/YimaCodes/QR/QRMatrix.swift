import CQRencode

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The dark and light modules of one QR code symbol (ISO/IEC 18004:2015).
///
/// A module is the square "pixel" of a QR code. The matrix holds only the symbol itself;
/// the quiet zone that readers need around it (§6.3.8) is added by the renderers
/// (``svg(moduleSize:quietZone:)``, ``png(moduleSize:quietZone:)``).
///
/// Modules are stored one bit each, row by row, so a version 40 symbol (177 × 177)
/// takes about 4 KiB and the renderers can find runs of dark modules a word at a time.
public struct QRMatrix: Sendable, Hashable {
    /// The symbol version, 1...40 (ISO/IEC 18004:2015, §6.3.2): version *v* has 17 + 4*v* modules per side.
    public let version: Int
    /// The number of modules per side, without quiet zone.
    public let size: Int
    /// Number of 64-bit words that hold one row; bit `x % 64` of word `x / 64` is module `x`.
    /// Always `size / 64 + 1`, so each row has at least one light padding bit after its modules.
    let wordsPerRow: Int
    /// Row-major bit storage, `size * wordsPerRow` words; a set bit is a dark module.
    /// Bits past `size` in the last word of a row are always clear.
    let words: [UInt64]

    /// Creates a matrix by asking `isDark` about every module.
    ///
    /// For tests that need a particular or deliberately wrong matrix; the encoder packs
    /// libqrencode's output directly.
    init(version: Int, size: Int, isDark: (_ x: Int, _ y: Int) -> Bool) {
        precondition(size > 0, "a QR matrix needs at least one module")
        let wordsPerRow = size / 64 + 1
        var words = [UInt64](repeating: 0, count: size * wordsPerRow)
        for y in 0..<size {
            for x in 0..<size where isDark(x, y) {
                words[y * wordsPerRow + x / 64] |= 1 << UInt64(x % 64)
            }
        }
        self.version = version
        self.size = size
        self.wordsPerRow = wordsPerRow
        self.words = words
    }

    /// Whether the module in column `x`, row `y` is dark. `(0, 0)` is the top-left module.
    ///
    /// - Precondition: `0 <= x < size` and `0 <= y < size`.
    public subscript(x x: Int, y y: Int) -> Bool {
        precondition(x >= 0 && x < size && y >= 0 && y < size, "module (\(x), \(y)) is outside the \(size)x\(size) matrix")
        return words[y * wordsPerRow + x / 64] >> UInt64(x % 64) & 1 == 1
    }

    /// Encodes `text` as the smallest QR code symbol that holds it.
    ///
    /// libqrencode splits the UTF-8 text into numeric, alphanumeric and 8-bit byte segments
    /// (ISO/IEC 18004:2015, §7.3.7 "Mixing modes") and picks
    /// the smallest version for the level. Segment splitting matters for Yima: an upper-case
    /// GS1 Digital Link URL with a decimal signature fits in version 9 at level Q, while the same
    /// content in byte mode would not. Matching is case-sensitive, so lower-case letters go to
    /// byte mode rather than being folded to upper case.
    ///
    /// No ECI header is written, so readers see the bytes and have to guess that they are UTF-8
    /// (§7.3.5: byte mode defaults to ISO/IEC 8859-1); ASCII text is unaffected.
    ///
    /// Safe to call from several threads at once: Debian's libqrencode is built with pthreads
    /// (its doc warns only about builds without them).
    ///
    /// - Parameters:
    ///   - text: The text to encode; it must not be empty or contain NUL characters.
    ///   - errorCorrection: The error-correction level; Yima uses ``QRErrorCorrection/Q``.
    /// - Throws: ``QRError`` if the text is empty, contains NUL, or is too long for version 40.
    public static func encode(_ text: String, errorCorrection: QRErrorCorrection = .default) throws(QRError) -> QRMatrix {
        if text.isEmpty { throw .emptyInput }
        if text.utf8.contains(0) { throw .containsNULCharacter }

        errno = 0
        // version 0 = smallest that fits; QR_MODE_8 = non-alphanumeric characters as bytes
        // (not Kanji); 1 = case-sensitive. Never QRcode_encodeString8bit: it disables splitting.
        let encoded = text.withCString { cString in
            QRcode_encodeString(cString, 0, errorCorrection.libqrencodeLevel, QR_MODE_8, 1)
        }
        guard let code = encoded else {
            switch errno {
            case ERANGE: throw .inputTooLong(utf8ByteCount: text.utf8.count, errorCorrection: errorCorrection)
            case EINVAL: throw .invalidInput
            case ENOMEM: throw .outOfMemory
            default: throw .encoderFailed(errno: errno)
            }
        }
        defer { QRcode_free(code) }
        return QRMatrix(libqrencodeSymbol: code.pointee)
    }

    /// Copies a libqrencode symbol, whose `data` has one byte per module with bit 0 set for dark.
    ///
    /// This runs for every code on the hot path, so it packs whole words through raw pointers.
    private init(libqrencodeSymbol symbol: QRcode) {
        let size = Int(symbol.width)
        let wordsPerRow = size / 64 + 1
        let modules = UnsafePointer<UInt8>(symbol.data!)
        self.version = Int(symbol.version)
        self.size = size
        self.wordsPerRow = wordsPerRow
        self.words = [UInt64](unsafeUninitializedCapacity: size * wordsPerRow) { words, initializedCount in
            for y in 0..<size {
                let row = modules + y * size
                for wordIndex in 0..<wordsPerRow {
                    let firstColumn = wordIndex * 64
                    var word: UInt64 = 0
                    for bit in 0..<max(0, min(64, size - firstColumn)) {
                        word |= UInt64(row[firstColumn + bit] & 1) << UInt64(bit)
                    }
                    words[y * wordsPerRow + wordIndex] = word
                }
            }
            initializedCount = size * wordsPerRow
        }
    }
}

// MARK: - Runs of dark modules (shared by the renderers)

extension QRMatrix {
    /// Calls `body` with each horizontal run of dark modules in row `y`, left to right, as the
    /// half-open column range `start..<end`.
    ///
    /// Renderers draw runs rather than modules. A run boundary is a module that differs from its
    /// left neighbour, so XOR with the row shifted by one finds every boundary of a word at once;
    /// walking the set bits then costs one step per boundary with no data-dependent branches to
    /// mispredict, which is most of the cost of a bit-by-bit scan on random-looking QR data.
    @inline(__always)
    func forEachDarkRun(inRow y: Int, _ body: (_ start: Int, _ end: Int) -> Void) {
        let rowStart = y * wordsPerRow
        var runStart = -1
        var leftNeighbourBit: UInt64 = 0
        for wordIndex in 0..<wordsPerRow {
            let word = words[rowStart + wordIndex]
            var boundaries = word ^ (word << 1 | leftNeighbourBit)
            leftNeighbourBit = word >> 63
            while boundaries != 0 {
                let column = wordIndex &* 64 &+ boundaries.trailingZeroBitCount
                boundaries &= boundaries &- 1
                // Boundaries alternate: start of a run, end of that run, start of the next...
                if runStart < 0 {
                    runStart = column
                } else {
                    body(runStart, column)
                    runStart = -1
                }
            }
        }
        // Every row ends in at least one light padding bit, so every run has ended by now.
    }
}
