import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaTestSupport
import YimaText

@Suite struct UnitCodeTests {
    static let base = try! ResolverBase("https://yima.example.com")
    static let gtin = "09506000134352"

    static func issue(_ algorithm: SignatureAlgorithm = .ed25519, lot: String = "ABCDE12345") throws -> (PrivateKey, UnitCode) {
        let key = try PrivateKey.generate(algorithm)
        return (key, try UnitCodeIssuer(key: key, base: base).issue(gtin: gtin, lot: lot))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func issuedCodeParsesBackAndVerifies(_ algorithm: SignatureAlgorithm) throws {
        let (key, code) = try Self.issue(algorithm)
        let parsed = try UnitCode.parse(code.uri)
        #expect(parsed == code)
        #expect(code.uri.hasPrefix("https://YIMA.EXAMPLE.COM/01/09506000134352/10/ABCDE12345/21/"))
        #expect(code.signatureParameterValue.count == 166)
        let verdict = UnitCodeVerifier(trusted: TrustedKeys([key.publicKey])).verify(code.uri).verdict
        #expect(verdict == .genuine(key.publicKey))
    }

    @Test func signedMessageIsExactlyAsDocumented() throws {
        let id = try #require(KeyID(hex: "0123456789abcdef"))
        let message = UnitCode.signedMessage(keyID: id, gtin: Self.gtin, lot: "L1", serial: "S-2")
        #expect(String(decoding: message, as: UTF8.self) == "yima-code/1\nkey 0123456789abcdef\n01 09506000134352\n10 L1\n21 S-2\n")
    }

    @Test func everySingleCharacterChangeIsCaught() throws {
        let (key, code) = try Self.issue()
        let verifier = UnitCodeVerifier(trusted: TrustedKeys([key.publicKey]))
        let uri = Array(code.uri)
        // Change each character after the host (host case and scheme are not signed).
        let pathStart = code.uri.distance(from: code.uri.startIndex, to: code.uri.range(of: "/01/")!.lowerBound)
        var caught = 0
        for index in pathStart..<uri.count {
            var changed = uri
            changed[index] = uri[index] == "7" ? "8" : (uri[index].isNumber ? "7" : (uri[index] == "A" ? "B" : "A"))
            let verdict = verifier.verify(String(changed)).verdict
            #expect(!verdict.isGenuine, "changing index \(index) went unnoticed: \(String(changed))")
            if !verdict.isGenuine { caught += 1 }
        }
        #expect(caught == uri.count - pathStart)
    }

    @Test func verdictsNameTheReason() throws {
        let (key, code) = try Self.issue()
        let other = try PrivateKey.generate(.ed25519)
        #expect(UnitCodeVerifier(trusted: TrustedKeys([other.publicKey])).verify(code) == .unknownKey(keyHint: key.id.short))
        let tampered = code.uri.replacingOccurrences(of: "/10/ABCDE12345/", with: "/10/ABCDE12346/")
        #expect(UnitCodeVerifier(trusted: TrustedKeys([key.publicKey])).verify(tampered).verdict == .forged(keyHint: key.id.short))
        #expect(UnitCodeVerifier(trusted: TrustedKeys([key.publicKey])).verify("hello").verdict == .malformed(.notAURL("no http:// or https:// scheme in \"hello\"")))
    }

    @Test func verdictMessagesAreChineseByDefaultAndEnglishOnRequest() throws {
        let (key, code) = try Self.issue()
        let verdict = UnitCodeVerifier(trusted: TrustedKeys([key.publicKey])).verify(code)
        #expect(verdict.message(in: .chinese).hasPrefix("真码"))
        #expect(verdict.message(in: .english).hasPrefix("genuine"))
        #expect(Language(tag: "en_US.UTF-8") == .english && Language(tag: "C.UTF-8") == .chinese && Language(tag: nil) == .chinese)
    }

    @Test func parseErrorsArePrecise() throws {
        let (_, code) = try Self.issue()
        let digits = code.signatureParameterValue
        let path = "https://YIMA.EXAMPLE.COM/01/09506000134352/10/ABCDE12345/21/K3M9Q2ZC7W1A"
        let cases: [(String, UnitCodeError)] = [
            ("", .empty),
            ("   \n", .empty),
            ("ftp://example.com/01/09506000134352", .notAURL("scheme \"ftp\" is not http or https")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134353/10/A/21/B?s=\(digits)", .badCheckDigit(gtin: "09506000134353", expected: 2)),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/21/B?s=\(digits)", .missingElement(ai: "10")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/10/A?s=\(digits)", .missingElement(ai: "21")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/22/X/10/A/21/B?s=\(digits)", .unexpectedElement(ai: "22")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/10/A/21/B?17=261231&s=\(digits)", .unexpectedElement(ai: "17")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/10/abc/21/B?s=\(digits)", .invalidValue(ai: "10", value: "abc")),
            ("https://YIMA.EXAMPLE.COM/01/09506000134352/10/A/21/B_C?s=\(digits)", .invalidValue(ai: "21", value: "B_C")),
            (path, .missingSignature),
            (path + "?linkType=gs1:pip", .missingSignature),
            (path + "?s=2" + digits.dropFirst(), .unsupportedVersion("2")),
            (path + "?s=" + digits.dropLast(), .badSignatureEncoding("the s parameter has 165 digits; version 1 has 166")),
            (path + "?s=" + digits + "0", .badSignatureEncoding("the s parameter has 167 digits; version 1 has 166")),
            (path + "?s=1" + String(repeating: "9", count: 165), .badSignatureEncoding("key id 9999999999 is out of range")),
            (path + "?s=10000000000" + String(repeating: "9", count: 155), .badSignatureEncoding("the signature value does not fit 64 bytes")),
            (path + "?s=1x" + digits.dropFirst(2), .badSignatureEncoding("the s parameter must be decimal digits")),
            (path + "?s=\(digits)&s=\(digits)", .badSignatureEncoding("the s parameter appears 2 times")),
        ]
        for (input, expected) in cases {
            #expect(throws: expected, "\(input)") { try UnitCode.parse(input) }
        }
        // Errors from the GS1 Digital Link layer pass through with its reason.
        #expect(throws: UnitCodeError.self) { try UnitCode.parse("https://example.com/hello") }
        do {
            _ = try UnitCode.parse("https://example.com/hello")
        } catch {
            guard case .notDigitalLink(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(!reason.isEmpty)
        }
        // A truncated scan is malformed, never genuine.
        for length in stride(from: 0, to: code.uri.count, by: 7) {
            #expect(throws: UnitCodeError.self) { try UnitCode.parse(String(code.uri.prefix(length))) }
        }
    }

    @Test func scannerWhitespaceIsIgnoredButNothingElseIsNormalised() throws {
        let (key, code) = try Self.issue()
        let verifier = UnitCodeVerifier(trusted: TrustedKeys([key.publicKey]))
        #expect(verifier.verify(code.uri + "\r\n").verdict.isGenuine)
        // Host case is not signed (DNS is case-insensitive); path case is.
        #expect(verifier.verify(code.uri.replacingOccurrences(of: "YIMA.EXAMPLE.COM", with: "yima.example.com")).verdict.isGenuine)
        #expect(!verifier.verify(code.uri.replacingOccurrences(of: "/10/ABCDE12345", with: "/10/abcde12345")).verdict.isGenuine)
    }

    @Test func serialsAreRandomUniqueAndInAlphabet() {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let serial = UnitCodeAlphabet.randomSerial()
            #expect(serial.count == 12)
            #expect(serial.utf8.allSatisfy { UnitCodeAlphabet.serialSymbols.contains($0) })
            seen.insert(serial)
        }
        #expect(seen.count == 20_000)
        #expect(UnitCodeAlphabet.serial(from: 0) == "000000000000")
        #expect(UnitCodeAlphabet.serial(from: 1 << 60 - 1) == "ZZZZZZZZZZZZ")
        #expect(UnitCodeAlphabet.serial(from: 33) == "000000000011")
    }

    @Test func resolverBaseIsPrintedForTheSmallestQR() throws {
        #expect(try ResolverBase("https://trace.county.gov.cn/").description == "https://TRACE.COUNTY.GOV.CN")
        #expect(try ResolverBase("HTTP://127.0.0.1:8080").description == "http://127.0.0.1:8080")
        #expect(try ResolverBase("https://x.cn/T").description == "https://X.CN/T")
        #expect(throws: UnitCodeError.self) { try ResolverBase("ftp://x.cn") }
        #expect(throws: UnitCodeError.self) { try ResolverBase("https://x y.cn") }
        #expect(throws: UnitCodeError.self) { try ResolverBase("https://x.cn/a?b") }
    }

    @Test func issuerRejectsBadInputBeforeSigning() throws {
        let key = try PrivateKey.generate(.ed25519)
        let issuer = UnitCodeIssuer(key: key, base: Self.base)
        #expect(throws: UnitCodeError.badCheckDigit(gtin: "09506000134353", expected: 2)) {
            try issuer.issue(gtin: "09506000134353", lot: "A")
        }
        #expect(throws: UnitCodeError.invalidValue(ai: "01", value: "950600013435")) { try issuer.issue(gtin: "950600013435", lot: "A") }
        #expect(throws: UnitCodeError.invalidValue(ai: "10", value: "lot 1")) { try issuer.issue(gtin: Self.gtin, lot: "lot 1") }
        #expect(throws: UnitCodeError.invalidValue(ai: "10", value: String(repeating: "A", count: 21))) {
            try issuer.issue(gtin: Self.gtin, lot: String(repeating: "A", count: 21))
        }
    }
}
