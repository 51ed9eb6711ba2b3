import Testing
@testable import YimaCodes

@Suite("QRMatrix text rendering")
struct QRTextTests {
    /// Turns half-block text back into a grid of inked cells, two rows per line.
    private func inkedCells(_ text: String) -> [[Bool]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().flatMap { line in
            let top = line.map { $0 == "█" || $0 == "▀" }
            let bottom = line.map { $0 == "█" || $0 == "▄" }
            return [top, bottom]
        }
    }

    @Test("light background: blocks are exactly the dark modules", arguments: [0, 1, 4])
    func lightBackground(quietZone: Int) throws {
        let matrix = try QRMatrix.encode(QRTestSupport.sampleYimaURL())
        let cells = inkedCells(matrix.text(quietZone: quietZone, forDarkBackground: false))
        let expected = QRTestSupport.addingQuietZone(QRTestSupport.modules(of: matrix), quietZone)
        // The symbol side is odd, so the last line's lower half is empty padding.
        #expect(cells.count == expected.count + 1)
        #expect(cells.last.map { !$0.contains(true) } == true)
        let differences = QRTestSupport.differences(Array(cells.dropLast()), expected)
        #expect(differences.isEmpty, "text differs at \(differences.prefix(10))")
    }

    @Test("dark background: blocks are exactly the light modules, quiet zone included")
    func darkBackground() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let cells = inkedCells(matrix.text())
        let expected = QRTestSupport.addingQuietZone(QRTestSupport.modules(of: matrix), 4).map { $0.map { !$0 } }
        #expect(QRTestSupport.differences(Array(cells.dropLast()), expected).isEmpty)
        #expect(cells.first?.allSatisfy { $0 } == true, "the quiet zone is inked on a dark background")
    }

    @Test("each line is one character per module plus a newline")
    func lineShape() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        let lines = matrix.text(quietZone: 2).split(separator: "\n")
        #expect(lines.count == (matrix.size + 4 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == matrix.size + 4 })
    }
}
