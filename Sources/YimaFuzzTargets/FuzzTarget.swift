import Foundation
import YimaCodes
import YimaLedger
import YimaRecords
import YimaService

/// One fuzz target: a parser or decoder that reads bytes from outside, and the
/// invariants it must keep on any input (Fuzz/README.md). The libFuzzer entry point
/// (Fuzz/Sources/yima-fuzz) and the seed-corpus test (Tests/YimaFuzzTests) both call
/// `run`; a thrown `FuzzViolation` is a bug, as is a crash.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case code                          // UnitCode.parse and the verifier (docs/code-format.md)
    case digitalLink = "digital-link"  // DigitalLinkURI.parse, every option set
    case canonicalJSON = "canonical-json"
    case envelope                      // Envelope(encoded:), then the record it carries
    case record                        // Record(payload:), Record(json:) on any JSON
    case csvImport = "csv-import"      // Recording.importEvents over a real SQLite store
    case signedNote = "signed-note"    // SignedNote, Checkpoint, Checkpoint.open
    case bundle                        // UnitBundle(decoding:) and ChainVerification
    case trustList = "trust-list"      // VerifiedTrustList(encoded:authorities:now:)
    case http                          // raw bytes on a TCP connection to an in-process server

    public func run(_ bytes: [UInt8]) throws(FuzzViolation) {
        switch self {
        case .code: try Self.code(bytes)
        case .digitalLink: try Self.digitalLink(bytes)
        case .canonicalJSON: try Self.canonicalJSON(bytes)
        case .envelope: try Self.envelope(bytes)
        case .record: Self.record(bytes)
        case .csvImport: try FuzzFixture.shared.importCSV(bytes)
        case .signedNote: try Self.signedNote(bytes)
        case .bundle: Self.bundle(bytes)
        case .trustList: Self.trustList(bytes)
        case .http: try FuzzFixture.shared.http(bytes)
        }
    }

    /// A parsed code prints as a URI that parses to the same code, and a code the
    /// verifier calls genuine is one the parser accepts.
    static func code(_ bytes: [UInt8]) throws(FuzzViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed = try? UnitCode.parse(text)
        if let parsed {
            guard let again = try? UnitCode.parse(parsed.uri), again == parsed else {
                throw FuzzViolation("code \(parsed.uri) does not parse back to itself")
            }
        }
        let (_, verdict) = FuzzResources.codeVerifier.verify(text)
        if verdict.isGenuine && parsed == nil {
            throw FuzzViolation("verifier calls genuine a code the parser refuses")
        }
        _ = try? ResolverBase(text)
        _ = ShortCode(typed: text)
    }

    /// A parsed Digital Link prints as a URI that parses to the same elements.
    static func digitalLink(_ bytes: [UInt8]) throws(FuzzViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let optionSets: [DigitalLinkParseOptions] = [
            .strict, .permitZeroSuppressedGTIN, .permitConvenienceAlphas,
            [.permitUnknownAIs, .unknownAIsAsDataAttributes, .permitConvenienceAlphas, .permitZeroSuppressedGTIN],
        ]
        for options in optionSets {
            guard let uri = try? DigitalLinkURI.parse(text, options: options) else { continue }
            _ = uri.elementString
            _ = uri.bracketedElementString
            let printed = uri.uriString()
            guard let again = try? DigitalLinkURI.parse(printed, options: options), again.elements == uri.elements else {
                throw FuzzViolation("Digital Link \(printed) does not parse back to the same elements")
            }
        }
    }

    /// `decode` accepts exactly the canonical form of what `parse` reads.
    static func canonicalJSON(_ bytes: [UInt8]) throws(FuzzViolation) {
        if let value = try? CanonicalJSON.parse(bytes) {
            let canonical = CanonicalJSON.encode(value)
            guard let decoded = try? CanonicalJSON.decode(canonical), decoded == value else {
                throw FuzzViolation("the canonical form of a parsed value does not decode to it")
            }
            if (try? CanonicalJSON.decode(bytes)) != nil, canonical != bytes {
                throw FuzzViolation("decode accepted bytes that are not their canonical form")
            }
        } else if (try? CanonicalJSON.decode(bytes)) != nil {
            throw FuzzViolation("decode accepted bytes that parse refuses")
        }
    }

    /// A decoded envelope re-encodes to the same bytes, and its signature never
    /// verifies under a key that did not make it.
    static func envelope(_ bytes: [UInt8]) throws(FuzzViolation) {
        guard let envelope = try? Envelope(encoded: bytes) else { return }
        guard envelope.encoded == bytes else { throw FuzzViolation("an accepted envelope is not its own encoding") }
        _ = try? Record(payload: envelope.payload)
        if case .valid = envelope.verify(with: FuzzResources.strangerKey) {
            throw FuzzViolation("an envelope verified under a key that signed nothing")
        }
    }

    static func record(_ bytes: [UInt8]) {
        _ = try? Record(payload: bytes)
        if let value = try? CanonicalJSON.parse(bytes) { _ = try? Record(json: value) }
        _ = try? TrustList(payload: bytes)
    }

    /// A parsed checkpoint prints back to its text; nothing verifies under the log key
    /// but notes the log key signed.
    static func signedNote(_ bytes: [UInt8]) throws(FuzzViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let note = try? SignedNote(parsing: bytes), let checkpoint = try? Checkpoint(text: note.text) {
            guard checkpoint.text == note.text else { throw FuzzViolation("a checkpoint does not print back to its text") }
        }
        if let checkpoint = try? Checkpoint(text: text), checkpoint.text != text {
            throw FuzzViolation("a checkpoint does not print back to its text")
        }
        if let opened = try? Checkpoint.open(text, verifiers: [FuzzResources.logVerifier]),
           opened.checkpoint.origin != FuzzResources.logVerifier.name {
            throw FuzzViolation("a checkpoint verified for another origin")
        }
    }

    static func bundle(_ bytes: [UInt8]) {
        guard let unit = try? UnitBundle(decoding: bytes) else { return }
        _ = try? ChainVerification.verify(unit.evidence, logKey: FuzzResources.logVerifier,
                                          authorities: FuzzResources.bundleAuthorities, now: FuzzResources.bundleNow,
                                          proof: unit.proof(leaf:treeSize:))
        _ = unit.encoded
    }

    static func trustList(_ bytes: [UInt8]) {
        _ = try? VerifiedTrustList(encoded: bytes, authorities: FuzzResources.trustListAuthorities, now: FuzzResources.trustListNow)
    }
}

/// An invariant a fuzz target found broken.
public struct FuzzViolation: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
