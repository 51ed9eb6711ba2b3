import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaTestSupport

/// docs/test-vectors/code-v1/spellings.json decides, for every spelling of a code the
/// audit asked about, whether it parses (and to what) or why it is malformed; Yima's
/// parser and verifier must give exactly those answers.
@Suite struct CodeSpellingTests {
    struct Vectors: Decodable {
        let format: String
        let trusted_key: String
        let cases: [Case]
    }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let input: String
        let verdict: String
        let reason: String?
        let parsed: Parsed?
        var testDescription: String { name }
    }
    struct Parsed: Decodable {
        let stem, gtin, lot, serial: String
        let key_hint: UInt32
        let signature_hex: String
    }

    static let folder = Repository.root.appendingPathComponent("docs/test-vectors/code-v1")
    static let vectors: Vectors = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("spellings.json"))
        return try! JSONDecoder().decode(Vectors.self, from: data)
    }()
    static let trustedKey = try! KeyFile.loadPublic(folder.appendingPathComponent(vectors.trusted_key).path)

    @Test func theFileCoversEnoughSpellings() {
        #expect(Self.vectors.format == "yima-code-spellings/1")
        #expect(Self.vectors.cases.count >= 30)
        #expect(Set(Self.vectors.cases.map(\.verdict)) == ["genuine", "forged", "unknown-key", "malformed"])
    }

    @Test(arguments: vectors.cases)
    func spellingGetsItsDocumentedAnswer(_ vector: Case) throws {
        let verifier = UnitCodeVerifier(trusted: TrustedKeys([Self.trustedKey]))
        let (code, verdict) = verifier.verify(vector.input)
        switch verdict {
        case .genuine: #expect(vector.verdict == "genuine")
        case .forged: #expect(vector.verdict == "forged")
        case .unknownKey: #expect(vector.verdict == "unknown-key")
        case .malformed(let error):
            #expect(vector.verdict == "malformed", "\(error)")
            #expect(error.reason == vector.reason, "\(error)")
        }
        if let expected = vector.parsed {
            let code = try #require(code)
            #expect(code.stem == expected.stem)
            #expect(code.gtin == expected.gtin)
            #expect(code.lot == expected.lot)
            #expect(code.serial == expected.serial)
            #expect(code.keyHint == expected.key_hint)
            #expect(Hex.encode(code.signature) == expected.signature_hex)
            // What parses prints back as itself, blanks aside.
            #expect(code.uri == vector.input.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n")))
        } else {
            #expect(code == nil)
        }
    }

    /// The outside verifier of docs/test-vectors/code-v1 (openssl and a regular
    /// expression written from the grammar) agrees with every answer.
    @Test func theOutsideVerifierAgrees() throws {
        let script = Self.folder.appendingPathComponent("verify-with-openssl.sh").path
        let key = Self.folder.appendingPathComponent(Self.vectors.trusted_key).path
        for vector in Self.vectors.cases {
            let result = try run("/bin/bash", [script, vector.input, key])
            #expect((result.status == 0) == (vector.verdict == "genuine"), "\(vector.name): \(result.stderr)")
            #expect(result.stderr.contains("malformed:") == (vector.verdict == "malformed"), "\(vector.name): \(result.stderr)")
        }
    }
}
