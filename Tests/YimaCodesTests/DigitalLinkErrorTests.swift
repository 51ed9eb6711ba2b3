import Testing
import YimaCodes

/// Specific invalid inputs must fail with the precise error, not just any error.
@Suite("DigitalLinkError cases")
struct DigitalLinkErrorTests {

    @Test("parse errors", arguments: [
        ("", DigitalLinkError.emptyInput),
        ("id.gs1.org/01/09520123456788", .notAURI("id.gs1.org/01/09520123456788")),
        ("ftp://a/01/09520123456788", .unsupportedScheme("ftp")),
        ("HtTp://a/b/00/006141411234567890", .mixedCaseScheme("HtTp")),
        ("https://a/01/12312312312333<bad", .illegalCharacter("<", offset: 27)),
        ("http:///", .missingDomain),
        ("https://$a/00/006141411234567890", .invalidDomainCharacter("$", domain: "$a")),
        ("http://a", .missingPath("http://a")),
        ("https://a/stem/00/006141411234567890/", .trailingSlash(path: "/stem/00/006141411234567890/")),
        ("http://a/b", .noPrimaryKeyInPath("/b")),
        ("https://a/gtin/12312312312333", .convenienceAlphaNotPermitted("gtin")),
        ("https://a/01/12312312312333/22/A%2", .invalidPercentEncoding("A%2")),
        ("https://a/01/1231231231233%003", .nullCharacter(ai: "01")),
        ("https://a/01/12312312312333?99=ABC&999=faux", .unknownAI("999")),
        ("https://example.com/01/09520123456788/89/ABC123", .unknownAI("89")),
        ("https://a/01/12312312312333/10/", .emptyValue(ai: "10")),
        ("https://a/01/12312312312333?99=", .emptyValue(ai: "99")),
        ("https://a/01/2112345678900", .valueTooShort(ai: "01", value: "2112345678900", minimumLength: 14)),
        ("https://a/253/1231231231232TEST56789012345678",
         .valueTooLong(ai: "253", value: "1231231231232TEST56789012345678", maximumLength: 30)),
        ("https://a/01/1231231231233A", .invalidCharacter(ai: "01", value: "1231231231233A", character: "A", allowed: .numeric)),
        ("https://a/01/12312312312333?98=XYZ+987", .invalidCharacter(ai: "98", value: "XYZ 987", character: " ", allowed: .cset82)),
        ("https://a/01/12312312312334", .invalidCheckDigit(ai: "01", value: "12312312312334", expected: 3)),
        ("https://a/01/12312312312333/99/ABC", .qualifierNotAllowed(qualifier: "99", key: "01")),
        ("https://a/01/12312312312333/10/ABC/22/TEST", .qualifiersOutOfOrder(key: "01", qualifiers: ["10", "22"])),
        ("https://a/01/12312312312333/22/T/235/X", .qualifiersOutOfOrder(key: "01", qualifiers: ["22", "235"])),
        ("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", .duplicateAI("10")),
        ("https://example.com/01/09520123456788?10=ABC123", .belongsInPath(ai: "10", key: "01")),
        ("https://a/00/006141411234567890?21=ABC", .notADataAttribute("21")),
    ])
    func parseError(uri: String, expected: DigitalLinkError) {
        #expect(throws: expected) { try DigitalLinkURI.parse(uri) }
    }

    @Test func unknownAIsAreNotDataAttributesUnlessAsked() {
        let uri = "https://example.com/01/09520123456788?99=XYZ&89=ABC123"
        #expect(throws: DigitalLinkError.notADataAttribute("89")) {
            try DigitalLinkURI.parse(uri, options: .permitUnknownAIs)
        }
        #expect(throws: Never.self) {
            try DigitalLinkURI.parse(uri, options: [.permitUnknownAIs, .unknownAIsAsDataAttributes])
        }
    }

    @Test func generationErrors() {
        #expect(throws: DigitalLinkError.noPrimaryKeyInElements(["99"])) {
            try DigitalLinkURI(elements: [GS1Element(ai: "99", value: "XYZ789")])
        }
        #expect(throws: DigitalLinkError.duplicateAI("10")) {
            try DigitalLinkURI(elements: [GS1Element(ai: "01", value: "12312312312326"),
                                          GS1Element(ai: "10", value: "A"), GS1Element(ai: "10", value: "B")])
        }
        #expect(throws: DigitalLinkError.invalidCheckDigit(ai: "01", value: "12312312312327", expected: 6)) {
            try DigitalLinkURI(elements: [GS1Element(ai: "01", value: "12312312312327")])
        }
        #expect(throws: DigitalLinkError.unsupportedScheme("ftp")) {
            try DigitalLinkURI(elements: [GS1Element(ai: "01", value: "12312312312326")], stem: "ftp://example.com")
        }
    }

    @Test func descriptionsNameTheProblemAndThePart() {
        let checkDigit = DigitalLinkError.invalidCheckDigit(ai: "01", value: "12312312312334", expected: 3).description
        #expect(checkDigit.contains("check digit") && checkDigit.contains("(01)") && checkDigit.contains("12312312312334"))
        #expect(DigitalLinkError.unknownAI("99").description.contains("(99)"))
        #expect(DigitalLinkError.mixedCaseScheme("HtTp").description.contains("HtTp"))
        let order = DigitalLinkError.qualifiersOutOfOrder(key: "01", qualifiers: ["10", "22"]).description
        #expect(order.contains("(10)(22)") && order.contains("(01)"))
    }
}
