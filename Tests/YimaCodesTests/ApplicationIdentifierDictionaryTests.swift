import Testing
import YimaCodes

@Suite("AI dictionary")
struct ApplicationIdentifierDictionaryTests {
    let dictionary = ApplicationIdentifierDictionary.standard

    @Test func gtinEntry() throws {
        let gtin = try #require(dictionary["01"])
        #expect(gtin.title == "GTIN")
        #expect(gtin.hasPredefinedLength && gtin.isDigitalLinkDataAttribute)
        #expect(gtin.components == [.init(characterSet: .numeric, minimumLength: 14, maximumLength: 14,
                                          linters: ["csum", "gcppos2"])])
        #expect(gtin.digitalLinkQualifierPaths == [["22", "10", "21"], ["235"]])
    }

    @Test func rangesAndOptionalComponents() throws {
        #expect(dictionary["3103"]?.title == "NET WEIGHT (kg)")
        #expect(dictionary["3106"] == nil)
        #expect(dictionary["95"]?.maximumLength == 90)
        let gdti = try #require(dictionary["253"])
        #expect((gdti.minimumLength, gdti.maximumLength) == (13, 30))
        #expect(gdti.components.last?.isOptional == true)
        #expect(dictionary["10"]?.requiresFNC1Separator == true)
    }

    @Test func invalidPathSequences() {
        #expect(!dictionary.isValidPathSequence(["01", "10", "22"]))    // out of order
        #expect(!dictionary.isValidPathSequence(["01", "22", "235"]))   // mixes alternatives
        #expect(!dictionary.isValidPathSequence(["01", "21", "21"]))    // repeated
        #expect(!dictionary.isValidPathSequence(["99"]))                // not a key
        #expect(!dictionary.isValidPathSequence([]))
    }

    @Test func unknownAIsOnlyWhenPermittedAndWellFormed() {
        #expect(dictionary.lookup("89") == nil)
        #expect(dictionary.lookup("89", permittingUnknown: true)?.isKnown == false)
        #expect(dictionary.lookup("999", permittingUnknown: true) == nil)   // AIs starting 99 have two digits
        #expect(dictionary.lookup("8A", permittingUnknown: true) == nil)
    }
}
