import Foundation
import Testing
import YimaLedger
import YimaTestSupport

/// docs/test-vectors/base64-v1 "documents": a signed note, checkpoint or verifier key
/// whose base64 is not canonical is refused, although a lenient decoder would read
/// the same bytes; the published original is accepted.
@Suite struct Base64DocumentTests {
    @Test(arguments: Base64Vectors.documents("signed-note"))
    func noteSignature(_ vector: Base64Vectors.DocumentCase) throws {
        _ = try SignedNote(parsing: vector.original())
        #expect(throws: NoteError.malformedSignatureLine(lineNumber: 5, reason: "signature is not canonical standard base64")) {
            try SignedNote(parsing: vector.twisted())
        }
    }

    @Test(arguments: Base64Vectors.documents("checkpoint"))
    func checkpointRootHash(_ vector: Base64Vectors.DocumentCase) throws {
        _ = try Checkpoint(text: vector.original())
        let twisted = try vector.twisted()
        do {
            _ = try Checkpoint(text: twisted)
            Issue.record("accepted a root hash whose \(vector.refused_because)")
        } catch {
            guard case .malformedRootHash = error else { Issue.record("\(error)"); return }
        }
    }

    @Test(arguments: Base64Vectors.documents("verifier-key"))
    func verifierKey(_ vector: Base64Vectors.DocumentCase) throws {
        _ = try NoteVerifier(verifierKey: vector.original())
        #expect(throws: NoteError.malformedVerifierKey("key is not canonical standard base64")) {
            try NoteVerifier(verifierKey: vector.twisted())
        }
    }

    /// Each vector kind is exercised somewhere: these here, envelope, trust-list and
    /// party in YimaRecordsTests, bundle in YimaCLITests.
    @Test func everyKindIsKnown() {
        #expect(Set(Base64Vectors.all.documents.map(\.kind)) ==
                ["signed-note", "checkpoint", "verifier-key", "envelope", "trust-list", "bundle", "party"])
    }
}
