import Foundation
import Testing
import YimaCodes
import YimaTestSupport

/// Runs every case of the vendored GS1 Digital Link conformance vectors
/// (`Tests/Conformance/digital-link/dl-test-vectors.json`, see SOURCES.md there).
///
/// `compression_vectors` are deliberately not run: they come from the prototype
/// GS1DigitalLinkToolkit.js compression, which is legacy and non-normative (it is not
/// the 2025 "GS1 Digital Link URI: Compression" standard), and this module does not
/// implement DL URI compression.
@Suite("GS1 Digital Link conformance vectors")
struct DigitalLinkConformanceTests {

    @Test("the vector file is present and complete")
    func vectorFileLoads() throws {
        let vectors = try #require(ConformanceVectors.loaded, "cannot read \(ConformanceVectors.url.path)")
        #expect(vectors.parse_vectors.cases.count == 118)
        #expect(vectors.generate_vectors.cases.count == 17)
        #expect(vectors.valid_path_key_qualifier_sequences.sequences.count == 37)
        #expect(vectors.check_digit_vectors.cases.count == 17)
    }

    @Test("parse_vectors", arguments: ConformanceVectors.loaded?.parse_vectors.cases ?? [])
    func parse(_ vector: ParseVector) throws {
        let options = vector.parseOptions
        guard vector.valid else {
            #expect(throws: DigitalLinkError.self, "line \(vector.source_line): \(vector.uri)") {
                try DigitalLinkURI.parse(vector.uri, options: options)
            }
            return
        }
        let uri: DigitalLinkURI
        do {
            uri = try DigitalLinkURI.parse(vector.uri, options: options)
        } catch {
            Issue.record("line \(vector.source_line): \(vector.uri) failed: \(error)")
            return
        }
        #expect(uri.elementString == vector.element_string, "line \(vector.source_line): \(vector.uri)")
        #expect(uri.bracketedElementString == vector.ai_bracketed, "line \(vector.source_line): \(vector.uri)")

        // The canonical form we generate must read back as the same data.
        let reparsed = try DigitalLinkURI.parse(uri.uriString(), options: options)
        #expect(Set(reparsed.elements) == Set(uri.elements), "line \(vector.source_line): \(uri.uriString())")
    }

    @Test("generate_vectors", arguments: ConformanceVectors.loaded?.generate_vectors.cases ?? [])
    func generate(_ vector: GenerateVector) throws {
        let stem = vector.stem ?? DigitalLinkURI.canonicalStem
        let make = { () throws -> DigitalLinkURI in
            if let input = vector.dl_uri_input {
                return try DigitalLinkURI.parse(input).replacingStem(with: stem)
            }
            return try DigitalLinkURI(elements: bracketedElements(vector.ai_data ?? ""), stem: stem)
        }
        guard vector.valid else {
            #expect(throws: DigitalLinkError.self, "\(vector)") { try make() }
            return
        }
        #expect(try make().uriString() == vector.expected_uri, "\(vector)")
    }

    @Test("valid_path_key_qualifier_sequences",
          arguments: ConformanceVectors.loaded?.valid_path_key_qualifier_sequences.sequences ?? [])
    func validPathSequence(_ sequence: [String]) throws {
        #expect(ApplicationIdentifierDictionary.standard.isValidPathSequence(sequence))

        // And a URI with that path parses, with the AIs in that order.
        let path = sequence.map { "/\($0)/\(Self.sampleValue(for: $0))" }.joined()
        let uri = try DigitalLinkURI.parse("https://example.com" + path)
        #expect(uri.pathElements.map(\.ai) == sequence)
    }

    @Test("check_digit_vectors", arguments: ConformanceVectors.loaded?.check_digit_vectors.cases ?? [])
    func checkDigit(_ vector: CheckDigitVector) {
        #expect(GS1CheckDigit.isValid(vector.number) == vector.valid, "\(vector.number)")
        #expect(GS1CheckDigit.expected(for: vector.number) == vector.expected_check_digit, "\(vector.number)")
        #expect(GS1CheckDigit.compute(forPayload: vector.number.dropLast()) == vector.expected_check_digit)
    }

    /// A valid value for each AI that occurs in a key-qualifier path.
    static func sampleValue(for ai: String) -> String {
        switch ai {
        case "00": "006141411234567890"
        case "01": "09520123456788"
        case "253", "255", "414", "417": "9520123456788"
        case "402": "95201234567891235"
        case "8003": "09520123456788"
        case "8006": "095201234567880102"
        case "8017", "8018": "795260646688514634"
        case "7040": "1ABC"
        default: "123"
        }
    }
}

// MARK: - The vector file

struct ConformanceVectors: Decodable, Sendable {
    let parse_vectors: Cases<ParseVector>
    let generate_vectors: Cases<GenerateVector>
    let valid_path_key_qualifier_sequences: Sequences
    let check_digit_vectors: Cases<CheckDigitVector>

    struct Cases<Case: Decodable & Sendable>: Decodable, Sendable { let cases: [Case] }
    struct Sequences: Decodable, Sendable { let sequences: [[String]] }

    /// `Tests/Conformance/digital-link/dl-test-vectors.json`.
    static let url = Repository.conformance.appendingPathComponent("digital-link/dl-test-vectors.json")

    /// `nil` when the file is missing; ``DigitalLinkConformanceTests/vectorFileLoads()`` then fails.
    static let loaded: ConformanceVectors? = {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(ConformanceVectors.self, from: data)
    }()
}

struct ParseVector: Decodable, Sendable, CustomTestStringConvertible {
    let uri: String
    let valid: Bool
    let element_string: String?
    let ai_bracketed: String?
    let options: [String: Bool]?
    let note: String?
    let source_line: Int

    var parseOptions: DigitalLinkParseOptions {
        var result = DigitalLinkParseOptions.strict
        let flags: [String: DigitalLinkParseOptions] = [
            "permitZeroSuppressedGTIN": .permitZeroSuppressedGTIN,
            "permitConvenienceAlphas": .permitConvenienceAlphas,
            "permitUnknownAIs": .permitUnknownAIs,
            "unknownAIsAsDLAttributes": .unknownAIsAsDataAttributes,
        ]
        for (name, enabled) in options ?? [:] where enabled {
            guard let flag = flags[name] else { preconditionFailure("unknown option \(name) in vectors") }
            result.insert(flag)
        }
        return result
    }

    var testDescription: String {
        "line \(source_line): \(uri.isEmpty ? "(empty)" : uri)\(options.map { " \($0.keys.sorted())" } ?? "")"
    }
}

struct GenerateVector: Decodable, Sendable, CustomTestStringConvertible {
    let stem: String?
    let ai_data: String?
    let dl_uri_input: String?
    let valid: Bool
    let expected_uri: String?
    let source_line: Int?

    var testDescription: String {
        "line \(source_line.map(String.init) ?? "-"): \(ai_data ?? dl_uri_input ?? "") @ \(stem ?? "(canonical)")"
    }
}

struct CheckDigitVector: Decodable, Sendable, CustomTestStringConvertible {
    let number: String
    let valid: Bool
    let expected_check_digit: Int
    let note: String?

    var testDescription: String { "\(number) (\(note ?? ""))" }
}

/// `(01)123…(10)ABC` → elements. Values in the vectors contain no `(`.
func bracketedElements(_ text: String) -> [GS1Element] {
    text.split(separator: "(").map { part in
        let pieces = part.split(separator: ")", maxSplits: 1, omittingEmptySubsequences: false)
        return GS1Element(ai: String(pieces[0]), value: pieces.count > 1 ? String(pieces[1]) : "")
    }
}
