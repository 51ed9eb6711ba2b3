import Testing
@testable import YimaCodes

@Suite("QRMatrix encoding")
struct QRMatrixTests {
    static let samples = [
        "HELLO WORLD",
        "https://example.com/path?q=1&r=two",
        "Mixed Case 0123456789 $%*+-./: and more",
        "1",
    ]

    @Test("modules match the qrencode command line tool", arguments: samples, QRErrorCorrection.allCases)
    func matchesReferenceEncoder(text: String, level: QRErrorCorrection) throws {
        let matrix = try QRMatrix.encode(text, errorCorrection: level)
        let reference = try QRTestSupport.referenceModules(text, level: level)
        let differences = QRTestSupport.differences(QRTestSupport.modules(of: matrix), reference)
        #expect(differences.isEmpty, "modules differ from qrencode at \(differences.prefix(10))")
        #expect(matrix.size == 17 + 4 * matrix.version, "ISO/IEC 18004 §6.3.2: side = 17 + 4 × version")
    }

    @Test("our real code shape fits version 9 at level Q thanks to segment splitting")
    func sampleURLStaysAtVersion9() throws {
        for _ in 0..<20 {
            let url = QRTestSupport.sampleYimaURL()
            let matrix = try QRMatrix.encode(url, errorCorrection: .Q)
            #expect(matrix.version <= 9 && matrix.size <= 53, "version \(matrix.version) for \(url)")
        }
        // The same content in lower case with a base64url signature is byte mode throughout
        // and cannot fit: this is what segment splitting buys.
        let lowercase = QRTestSupport.lowercaseBase64URL()
        let lowercaseMatrix = try QRMatrix.encode(lowercase, errorCorrection: .Q)
        #expect(lowercaseMatrix.version > 9, "version \(lowercaseMatrix.version) for \(lowercase)")
    }

    @Test("Q is the default level")
    func defaultLevelIsQ() throws {
        let url = QRTestSupport.sampleYimaURL()
        #expect(try QRMatrix.encode(url) == QRMatrix.encode(url, errorCorrection: .Q))
        #expect(try QRMatrix.encode(url) != QRMatrix.encode(url, errorCorrection: .L))
        #expect(QRErrorCorrection.default == .Q)
    }

    @Test("higher levels need at least as many modules")
    func levelsOrderCapacity() throws {
        let url = QRTestSupport.sampleYimaURL()
        let versions = try QRErrorCorrection.allCases.map { try QRMatrix.encode(url, errorCorrection: $0).version }
        #expect(versions == versions.sorted(), "versions L, M, Q, H: \(versions)")
        #expect(versions.first! < versions.last!)
    }

    @Test("empty input is rejected")
    func emptyInput() {
        #expect(throws: QRError.emptyInput) { try QRMatrix.encode("") }
    }

    @Test("NUL characters are rejected instead of silently truncating the payload")
    func nulCharacter() {
        #expect(throws: QRError.containsNULCharacter) { try QRMatrix.encode("ABC\u{0}DEF") }
    }

    @Test("input too long for version 40 reports ERANGE as inputTooLong")
    func tooLong() throws {
        // Version 40-L holds at most 7089 numeric characters (capacity table of ISO/IEC 18004).
        let fits = String(repeating: "7", count: 7089)
        #expect(try QRMatrix.encode(fits, errorCorrection: .L).version == 40)
        let tooLong = fits + "7"
        #expect(throws: QRError.inputTooLong(utf8ByteCount: 7090, errorCorrection: .L)) {
            try QRMatrix.encode(tooLong, errorCorrection: .L)
        }
        let error = #expect(throws: QRError.self) { try QRMatrix.encode(tooLong, errorCorrection: .L) }
        #expect(error?.description.contains("too long") == true)
    }

    @Test("encoding is case-sensitive")
    func caseSensitive() throws {
        #expect(try QRMatrix.encode("yima") != QRMatrix.encode("YIMA"))
    }

    @Test("a flipped module is caught by the reference comparison")
    func comparisonCatchesAFlippedModule() throws {
        // Guards the guard: error correction would still decode such a symbol, so only the
        // module-by-module comparison catches an encoder or packing bug of this kind.
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let broken = QRMatrix(version: matrix.version, size: matrix.size) { x, y in
            (x, y) == (10, 12) ? !matrix[x: x, y: y] : matrix[x: x, y: y]
        }
        let reference = try QRTestSupport.referenceModules("HELLO WORLD", level: .Q)
        #expect(QRTestSupport.differences(QRTestSupport.modules(of: broken), reference) == ["(10, 12)"])
    }

    @Test("modules spanning several storage words read back correctly")
    func largeSymbolBitPacking() throws {
        // Versions above 11 are wider than 64 modules, above 27 wider than 128: rows span 3 words.
        let text = String(repeating: "Yima traceability ", count: 100)
        let matrix = try QRMatrix.encode(text, errorCorrection: .M)
        #expect(matrix.size > 128)
        let reference = try QRTestSupport.referenceModules(text, level: .M)
        #expect(QRTestSupport.differences(QRTestSupport.modules(of: matrix), reference).isEmpty)
    }

    @Test("dark runs are found at row edges and across storage words", arguments: [1, 63, 64, 65, 128, 130])
    func darkRunsAtEdges(size: Int) {
        // Row 0 all dark, row 1 all light, row 2 dark except two columns around the word boundary,
        // other rows a checkerboard: runs that touch both ends, cross words, and have length 1.
        func isDark(_ x: Int, _ y: Int) -> Bool {
            switch y {
            case 0: true
            case 1: false
            case 2: x != 62 && x != 65
            default: (x + y) % 2 == 0
            }
        }
        let matrix = QRMatrix(version: 0, size: size, isDark: isDark)
        for y in 0..<size {
            var painted = Array(repeating: false, count: size)
            var previousEnd = -1
            matrix.forEachDarkRun(inRow: y) { start, end in
                #expect(start > previousEnd && start < end && end <= size, "run \(start)..<\(end) in row \(y)")
                previousEnd = end
                for x in start..<min(end, size) { painted[x] = true }
            }
            let expected = (0..<size).map { isDark($0, y) }
            #expect(painted == expected, "row \(y) of a \(size)-module matrix")
        }
    }
}
