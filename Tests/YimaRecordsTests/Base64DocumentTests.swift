import Foundation
import Testing
import YimaRecords
import YimaTestSupport

/// docs/test-vectors/base64-v1 "documents": envelopes (records and trust lists) and
/// party keys whose base64 is not canonical are refused; the originals are accepted.
@Suite struct RecordBase64DocumentTests {
    @Test(arguments: Base64Vectors.documents("envelope") + Base64Vectors.documents("trust-list"))
    func envelopeSignature(_ vector: Base64Vectors.DocumentCase) throws {
        _ = try Envelope(text: vector.original().trimmingCharacters(in: .newlines))
        #expect(throws: EnvelopeError.malformedBase64(field: "sig")) {
            try Envelope(text: vector.twisted().trimmingCharacters(in: .newlines))
        }
    }

    @Test(arguments: Base64Vectors.documents("party"))
    func partyKey(_ vector: Base64Vectors.DocumentCase) throws {
        _ = try Record(payload: Array(vector.original().utf8))
        let twisted = Array(try vector.twisted().utf8)
        do {
            _ = try Record(payload: twisted)
            Issue.record("accepted a party whose \(vector.refused_because)")
        } catch {
            #expect(error.field.hasPrefix("public_keys"), "\(error)")
        }
    }
}
