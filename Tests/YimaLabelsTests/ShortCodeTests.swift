import Testing
import YimaCodes

@Suite("Short codes")
struct ShortCodeTests {
    @Test("a serial's short code: groups of four and a Luhn mod 32 check symbol")
    func format() throws {
        let code = try #require(ShortCode(serial: "K3M9Q2ZC7W1A"))
        #expect(code.description.count == 16)
        #expect(code.description.hasPrefix("K3M9-Q2ZC-7W1A-"))
        // The test vector of docs/labels.md §Short code, worked there by hand.
        #expect(code.description == "K3M9-Q2ZC-7W1A-T")
        #expect(ShortCode(serial: "0000000000AB")?.description == "0000-0000-00AB-0")
        #expect(ShortCode(typed: code.description) == code)
        #expect(ShortCode(typed: code.description.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
    }

    @Test("typing O, I and L reads as 0, 1 and 1")
    func forgiving() throws {
        let code = try #require(ShortCode(serial: "0011ABCDEFGH"))
        let typed = "oOiL-ABCD-EFGH-\(code.check)"
        #expect(ShortCode(typed: typed) == code)
    }

    @Test("every single mistyped symbol and every adjacent swap of different symbols is caught")
    func detectsErrors() throws {
        let alphabet = UnitCodeAlphabet.serialSymbols.map { Character(UnicodeScalar($0)) }
        for _ in 0..<20 {
            let code = try #require(ShortCode(serial: UnitCodeAlphabet.randomSerial()))
            let symbols = Array(code.serial) + [code.check]
            for index in symbols.indices {
                for replacement in alphabet where replacement != symbols[index] {
                    var typo = symbols
                    typo[index] = replacement
                    #expect(ShortCode(typed: String(typo)) == nil)
                }
                if index + 1 < symbols.count && symbols[index] != symbols[index + 1] {
                    var swapped = symbols
                    swapped.swapAt(index, index + 1)
                    // Luhn mod 32 misses only the swap of the two symbols whose values are 0 and 31.
                    let values = [symbols[index], symbols[index + 1]].map { alphabet.firstIndex(of: $0)! }.sorted()
                    if values != [0, 31] { #expect(ShortCode(typed: String(swapped)) == nil) }
                }
            }
        }
    }

    @Test("serials outside the random-serial alphabet have no short code")
    func noShortCode() {
        #expect(ShortCode(serial: "UNIT-0001") == nil)
        #expect(ShortCode(serial: "ABCDEFGHIJKU") == nil)
        #expect(ShortCode(typed: "K3M9-Q2ZC") == nil)
    }
}
