import Foundation
import Testing
@testable import YimaService
import YimaRecords
import YimaStore
import YimaTestSupport

/// Upward reporting's decisions (docs/upload.md): what each answer means, and a batch's
/// idempotency key, which a retry and a restart must reproduce exactly.
@Suite struct UploaderTests {
    static func verdict(_ status: Int, _ body: String) -> UploadVerdict {
        UploadVerdict(UploadAnswer(status: status, body: Array(body.utf8)))
    }

    @Test func everyAnswerHasItsMeaning() {
        #expect(Self.verdict(200, #"{"status":"accepted"}"#) == .accepted)
        #expect(Self.verdict(201, #"{"status":"duplicate","received_at":1.5,"note":null}"#) == .accepted)
        #expect(Self.verdict(200, #"{"status":"retry","error":"busy"}"#) == .retry(reason: "HTTP 200, status retry: busy"))
        #expect(Self.verdict(200, #"{"status":"rejected","error":"unknown county"}"#)
                == .rejected(reason: "HTTP 200, status rejected: unknown county"))
        #expect(Self.verdict(503, #"{"error":"maintenance"}"#) == .retry(reason: "HTTP 503: maintenance"))
        #expect(Self.verdict(429, "slow down") == .retry(reason: "HTTP 429: slow down"))
        #expect(Self.verdict(422, #"{"status":"rejected","error":"bad batch"}"#) == .rejected(reason: "HTTP 422: bad batch"))
        // Garbage is never an acceptance.
        #expect(Self.verdict(200, "<html>OK</html>") == .retry(reason: "HTTP 200 with an answer that is not a JSON object: <html>OK</html>"))
        #expect(Self.verdict(200, #"{"ok":true}"#) == .retry(reason: #"HTTP 200 with no status accepted, duplicate, retry or rejected: {"ok":true}"#))
        #expect(Self.verdict(200, "") == .retry(reason: "HTTP 200 with an answer that is not a JSON object: (empty)"))
        #expect(Self.verdict(302, "") == .retry(reason: "HTTP 302 is not an answer to an upload: (empty)"))
        if case .retry(let reason) = Self.verdict(200, "\u{1B}[31m" + String(repeating: "x", count: 200)) {
            #expect(reason.contains("?[31m") && reason.hasSuffix("…"))
        } else { Issue.record("an escape sequence must not be an acceptance") }
    }

    @Test func aBatchKeyDependsOnlyOnItsRecordsAndPlace() throws {
        let farm = try Farm()
        let uploader = farm.useCases.uploader
        let first = try uploader.pendingBatch(0...2, format: .national)
        #expect(try uploader.pendingBatch(0...2, format: .national) == first)
        #expect(try uploader.pendingBatch(0...3, format: .national).key != first.key)
        #expect(try uploader.pendingBatch(1...3, format: .national).key != first.key)
        #expect(first.key.count == 64 && first.first == 0 && first.last == 2 && first.format == "national")
        // The body names the key and every position with its record id, in order.
        let body = try JSONSerialization.jsonObject(with: Data(uploader.body(first, format: .national))) as? [String: Any]
        let batch = try #require(body?["batch"] as? [String: Any])
        #expect(batch["key"] as? String == first.key)
        #expect((batch["records"] as? [[String: Any]])?.compactMap { $0["sequence"] as? Int } == [0, 1, 2])
        let ids = try farm.store.entries(0..<3).map { try Envelope(encoded: $0).recordID.hex }
        #expect((batch["records"] as? [[String: Any]])?.compactMap { $0["record_id"] as? String } == ids)
    }

    @Test func backoffIsBoundedAndGrows() {
        var options = Uploader.Options()
        options.baseDelay = .milliseconds(100)
        options.maxDelay = .seconds(1)
        for attempt in 1...40 {
            let wait = Uploader.backoff(attempt: attempt, options: options)
            #expect(wait >= .zero && wait <= .seconds(1))
            if attempt == 1 { #expect(wait <= .milliseconds(100)) }
        }
    }

    /// An EPCIS upload, batch after batch, carries exactly the export's events in log
    /// order, each document valid against the GS1 schema with the prototype's hashes;
    /// records with no EPCIS event are listed (kind, no event_id) and advance the position.
    @Test func epcisBatchesCarryExactlyTheExportsEvents() throws {
        let farm = try EPCISTests.fullSeason()
        let uploader = farm.useCases.uploader
        let size = try farm.store.treeSize()
        var sequences: [Int] = [], eventIDs: [String] = [], skipped: [String] = []
        for first in stride(from: Int64(0), to: size, by: 7) {
            let batch = try uploader.pendingBatch(first...min(first + 6, size - 1), format: .epcis)
            #expect(batch.key != (try uploader.pendingBatch(batch.first...batch.last, format: .national)).key)
            let bytes = try uploader.body(batch, format: .epcis)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(body["format"] as? String == "epcis")
            let records = try #require((body["batch"] as? [String: Any])?["records"] as? [[String: Any]])
            sequences += records.compactMap { $0["sequence"] as? Int }
            skipped += records.filter { $0["event_id"] == nil }.compactMap { $0["kind"] as? String }
            let document = try #require(try EPCISJSON.parse(bytes)["document"]).serialized()
            let ids = try EPCISTests.eventIDs(document)
            #expect(ids == records.compactMap { $0["event_id"] as? String })
            eventIDs += ids
            let check = try EPCISTests.check(document, in: farm)
            #expect(check.schema_errors.isEmpty, "\(check.schema_errors)")
            #expect(check.adjusted_hashes == ids, "\(check.hash_error ?? "")")
        }
        #expect(sequences == Array(0..<Int(size)))
        #expect(eventIDs == (try EPCISTests.eventIDs(EPCISTests.export(farm))))
        #expect(!skipped.isEmpty && !skipped.contains("event"), "\(skipped)")
    }
}
