import Testing
import YimaCodes

/// The shapes of Digital Link URI that Yima prints on its own labels.
@Suite("Yima product codes")
struct YimaProductCodeTests {
    /// A private signature parameter: "1" and 165 more digits.
    static let signature = "1" + String(repeating: "0123456789", count: 17).prefix(165)

    @Test("production and local demo URIs", arguments: [
        "https://YIMA.EXAMPLE.COM",
        "http://127.0.0.1:8080",
    ])
    func productCode(stem: String) throws {
        let text = "\(stem)/01/09506000134352/10/ABCDE12345/21/ABCDEFGH2345?s=\(Self.signature)"
        let uri = try DigitalLinkURI.parse(text)

        #expect(uri.stem == stem)
        #expect(uri.primaryKey == GS1Element(ai: "01", value: "09506000134352"))
        #expect(uri["10"] == "ABCDE12345")
        #expect(uri["21"] == "ABCDEFGH2345")
        #expect(uri.queryElements.isEmpty)
        #expect(uri.otherQueryParameters == [DigitalLinkQueryParameter(name: "s", rawValue: Self.signature)])
        #expect(Self.signature.count == 166)
        #expect(uri.elementString == "^010950600013435210ABCDE12345^21ABCDEFGH2345")
        #expect(uri.bracketedElementString == "(01)09506000134352(10)ABCDE12345(21)ABCDEFGH2345")
        #expect(uri.uriString(includingOtherParameters: true) == text)
        #expect(uri.uriString() == "\(stem)/01/09506000134352/10/ABCDE12345/21/ABCDEFGH2345")
    }

    @Test func generatedLabelRoundTrips() throws {
        let uri = try DigitalLinkURI(
            elements: [GS1Element(ai: "21", value: "ABCDEFGH2345"), GS1Element(ai: "10", value: "ABCDE12345"),
                       GS1Element(ai: "01", value: "09506000134352"), GS1Element(ai: "17", value: "261231")],
            stem: "https://YIMA.EXAMPLE.COM/")
        #expect(uri.uriString() == "https://YIMA.EXAMPLE.COM/01/09506000134352/10/ABCDE12345/21/ABCDEFGH2345?17=261231")
        #expect(try DigitalLinkURI.parse(uri.uriString()) == uri)
        #expect(try uri.replacingStem().uriString().hasPrefix("https://id.gs1.org/01/09506000134352/"))
    }

    @Test func linkTypeAndPercentEncodedValues() throws {
        let uri = try DigitalLinkURI.parse(
            "https://yima.example.com/01/09506000134352/10/A%2FB+C?linkType=gs1%3Atraceability&99=X%2BY&note=a+b")
        #expect(uri["10"] == "A/B+C")
        #expect(uri["99"] == "X+Y")
        #expect(uri.otherQueryParameters.map(\.value) == ["gs1:traceability", "a b"])
        #expect(uri.otherQueryParameters.map(\.rawValue) == ["gs1%3Atraceability", "a+b"])
        #expect(uri.uriString() == "https://yima.example.com/01/09506000134352/10/A%2FB%2BC?99=X%2BY")
    }
}
