import Foundation
import Testing
import YimaCrypto
import YimaTestSupport
@testable import YimaRecords

/// docs/test-vectors/envelope-v1/payloads.json: which payloads are canonical
/// (envelope.md §1) and why the others are refused. Yima's decoder, its envelope
/// verifier (step 4) and the Python check printed in envelope.md §4 must all agree.
@Suite struct PayloadVectorTests {
    struct Vectors: Decodable { let format: String; let cases: [Case] }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let payload_hex: String
        let canonical: Bool
        let reason: String?
        var testDescription: String { name }
        var bytes: [UInt8] { Hex.decode(payload_hex)! }
    }

    static let vectors: Vectors = try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf:
        Repository.root.appendingPathComponent("docs/test-vectors/envelope-v1/payloads.json")))

    /// The reason identifiers of envelope.md §1.
    static func reason(_ error: CanonicalJSONError) -> String {
        switch error {
        case .syntax: "syntax"
        case .nullNotAllowed: "null"
        case .notAnInteger: "not-an-integer"
        case .integerOutOfRange: "integer-out-of-range"
        case .duplicateKey: "duplicate-member"
        case .invalidUnicode: "invalid-unicode"
        case .tooDeep: "too-deep"
        case .notCanonical: "not-canonical"
        }
    }

    @Test func theFileHasBothKinds() {
        #expect(Self.vectors.format == "yima-payload-vectors/1")
        #expect(Self.vectors.cases.filter(\.canonical).count >= 5)
        #expect(Set(Self.vectors.cases.compactMap(\.reason)) ==
                ["syntax", "null", "not-an-integer", "integer-out-of-range", "duplicate-member", "invalid-unicode",
                 "too-deep", "not-canonical"])
    }

    @Test(arguments: vectors.cases)
    func yimaDecoderAndEnvelopeVerifierAgree(_ vector: Case) throws {
        let key = Fixtures.testKey
        // Signed as is, so only step 4 can refuse it.
        let signature = try key.sign(Envelope.signedMessage(payload: vector.bytes))
        let envelope = Envelope(algorithm: key.algorithm, keyID: key.id, payload: vector.bytes, signature: signature)
        do {
            _ = try CanonicalJSON.decode(vector.bytes)
            #expect(vector.canonical)
            #expect(envelope.verify(with: key.publicKey) == .valid(envelope.recordID))
        } catch {
            #expect(Self.reason(error) == vector.reason, "\(error)")
            #expect(envelope.verify(with: key.publicKey) == .invalid(.nonCanonicalPayload(error)))
            #expect(throws: EnvelopeError.nonCanonicalPayload(error)) { try Envelope.sign(payload: vector.bytes, with: key) }
        }
    }

    @Test func theDocumentedPythonCheckAgrees() throws {
        let directory = try TemporaryDirectory()
        let program = directory.file("canonical.py")
        try EnvelopeTests.documentVector("canonical-check").write(toFile: program, atomically: true, encoding: .utf8)
        for vector in Self.vectors.cases {
            let result = try run("python3", [program], input: Data(vector.bytes))
            #expect((result.status == 0) == vector.canonical, "\(vector.name): \(result.stderr)")
            if !vector.canonical { #expect(result.stderr.hasPrefix("not canonical: "), "\(vector.name)") }
        }
    }
}
