import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaTestSupport
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaServer
import YimaService
import YimaStore

@Suite struct WriteTests {
    /// Now, as a signed event time.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'+08:00'"
        return formatter.string(from: Date())
    }

    static func today() -> String { String(now().prefix(10)) }

    static func post(_ client: some TestClientProtocol, _ body: String, uri: String = "/api/v1/records") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test(arguments: Engine.all) func signedRecordsAreAcceptedAndEveryRefusalHasItsStatus(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let server = try await fixture.server()
        let storing = try fixture.signedEvent("storing", Self.now(), #"{"location":"周至县冷库 2 号","temperature":"2"}"#)
        // Signed on the same head as `storing`: stale once that is stored.
        let rival = try fixture.signedEvent("care", Self.now(), #"{"activity":"weeding"}"#)
        let before = try fixture.store.recordCount()
        try await server.application().test(.router) { client in
            // Stored: 201 with its id and place in the log.
            let created = try await Self.post(client, storing.text)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json?["id"]?.string == storing.recordID.hex)
            #expect(created.json?["kind"]?.string == "event")
            // Whitespace around the envelope is fine; the same record again is a replay.
            let replay = try await Self.post(client, "\n  " + storing.text + "\n")
            #expect(replay.status == .conflict)
            #expect(replay.json?["error"]?.string == "replay")
            let count = try fixture.store.recordCount()
            #expect(count == before + 1)

            // A key no party registered: 401.
            let strangers = try Envelope.sign(payload: storing.payload, with: fixture.stranger)
            let unknown = try await Self.post(client, strangers.text)
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json?["error"]?.string == "unknown-key")

            // A bad signature: 401.
            let next = try fixture.signedEvent("care", Self.now(), #"{"activity":"irrigation"}"#)
            var signature = next.signature
            signature[5] ^= 0x01
            let tampered = Envelope(algorithm: next.algorithm, keyID: next.keyID, payload: next.payload, signature: signature)
            let bad = try await Self.post(client, tampered.text)
            #expect(bad.status == .unauthorized)
            #expect(bad.json?["error"]?.string == "bad-signature")

            // A registered party without the role: 403 (a laboratory recording a harvest).
            let harvest = try fixture.signedEvent("harvest", Self.now(), """
                {"date":"\(Self.today())","quantity":{"unit":"KGM","value":"10"}}
                """, key: fixture.laboratory)
            let forbidden = try await Self.post(client, harvest.text)
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.json?["rule"]?.string == "role")

            // A party registration not signed by the authority: 403.
            let party = try fixture.service.recording.sign(draft: ServerFixture.party("rogue", "假冒主体", roles: ["producer"],
                                                                          credit: "91350100M000100Y43", key: fixture.stranger),
                                                 kind: .party, key: fixture.authority)
            let selfSigned = try Envelope.sign(payload: party.payload, with: fixture.producer)
            let notAuthority = try await Self.post(client, selfSigned.text)
            #expect(notAuthority.status == .forbidden)
            #expect(notAuthority.json?["error"]?.string == "not-authority")

            // A rule violation: 422 with the rule id and the fields.
            let banned = try fixture.signedEvent("input_application", Self.now(), """
                {"input":"pesticide","name":"甲胺磷","registration_number":"PD20080123","active_ingredient":"甲胺磷 50%",
                 "dose":{"unit":"毫升/亩","value":"30"},"method":"喷雾","date":"\(Self.today())","safety_interval_days":7}
                """)
            let rule = try await Self.post(client, banned.text)
            #expect(rule.status == .unprocessableContent)
            #expect(rule.json?["error"]?.string == "rule-violation")
            #expect(rule.json?["rule"]?.string == "banned-pesticide")
            #expect(rule.json?["fields"]?.array?.isEmpty == false)

            // A stale chain head: 409.
            let stale = try await Self.post(client, rival.text)
            #expect(stale.status == .conflict, "\(stale.text)")
            #expect(stale.json?["error"]?.string == "stale-head")

            // Malformed bodies: 400 with a JSON error.
            for body in ["", "not json", "{}", "[1,2]", #"{"v":1,"alg":"ed25519"}"#, "{\"a\":" + String(repeating: "[", count: 5000)] {
                let response = try await Self.post(client, body)
                #expect(response.status == .badRequest, "\(body.prefix(20)): \(response.status)")
                #expect(response.json?["error"]?.string != nil)
            }
            // Too large: 413.
            let huge = try await Self.post(client, "{\"pad\":\"" + String(repeating: "x", count: 70_000) + "\"}")
            #expect(huge.status == .contentTooLarge)
            #expect(huge.json?["error"]?.string == "body-too-large")

            #expect(try fixture.store.recordCount() == before + 1, "a refused record was stored")
        }
    }

    @Test(arguments: Engine.all) func pinFlowFirstThenAlreadyVerifiedAndRateLimited(_ engine: Engine) async throws {
        let fixture = try ServerFixture(engine)
        let out = fixture.temporary.file("pins")
        let summary = try fixture.service.issuance.issuePins(batch: ServerFixture.batch, secret: fixture.secret, outputDirectory: out)
        #expect(summary.count == fixture.codes.count)
        let attributes = try FileManager.default.attributesOfItem(atPath: summary.file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let rows = try String(contentsOfFile: summary.file, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        let pins = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        #expect(pins.values.allSatisfy { $0.count == Issuance.pinDigits })
        // Only hashes are stored.
        let code = try UnitCode.parse(fixture.codes[0])
        let stored = try #require(try fixture.store.pin(gtin: code.gtin, lot: code.lot, serial: code.serial))
        #expect(stored.hash.count == 32)
        #expect(!String(decoding: stored.hash, as: UTF8.self).contains(pins[code.serial]!))
        // PINs are issued once per batch.
        #expect(throws: ServiceError.self) {
            try fixture.service.issuance.issuePins(batch: ServerFixture.batch, secret: fixture.secret,
                                          outputDirectory: fixture.temporary.file("pins2"))
        }

        let server = try await fixture.server {
            $0.pinAttemptsPerUnit = 3
            $0.pinAttemptsPerClient = 6
        }
        let path = "/01/\(code.gtin)/10/\(code.lot)/21/\(code.serial)/verify-pin"
        let pin = pins[code.serial]!
        let wrongPin = pin == "00000000" ? "11111111" : "00000000"
        try await server.application().test(.router) { client in
            let wrong = try await Self.post(client, #"{"pin":"\#(wrongPin)"}"#, uri: path)
            #expect(wrong.status == .forbidden)
            #expect(wrong.json?["error"]?.string == "wrong-pin")
            let first = try await Self.post(client, #"{"pin":"\#(pin)"}"#, uri: path)
            #expect(first.status == .ok)
            #expect(first.json?["result"]?.string == "first-verification")
            #expect(first.json?["message"]?.string == "正品，首次验证。")
            let again = try await Self.post(client, #"{"pin":"\#(pin)"}"#, uri: path + "?lang=en")
            #expect(again.json?["result"]?.string == "already-verified")
            #expect(again.json?["message"]?.string?.hasPrefix("Already verified on ") == true)
            #expect(again.json?["first_verified"] == first.json?["first_verified"])

            // Bad requests.
            #expect(try await Self.post(client, #"{"pin":12}"#, uri: path).status == .badRequest)
            #expect(try await Self.post(client, "nope", uri: path).status == .badRequest)
            let badGTIN = "/01/06901234567893/10/\(code.lot)/21/\(code.serial)/verify-pin"
            #expect(try await Self.post(client, #"{"pin":"\#(pin)"}"#, uri: badGTIN).status == .badRequest)
            let unknownUnit = "/01/\(code.gtin)/10/\(code.lot)/21/NOSUCHUNIT/verify-pin"
            #expect(try await Self.post(client, #"{"pin":"\#(pin)"}"#, uri: unknownUnit).status == .notFound)

            // Per unit: after 3 wrong PINs, 429 even for the right one.
            let other = try UnitCode.parse(fixture.codes[1])
            let otherPath = "/01/\(other.gtin)/10/\(other.lot)/21/\(other.serial)/verify-pin"
            let otherWrong = pins[other.serial] == "00000000" ? "11111111" : "00000000"
            for _ in 0..<2 { #expect(try await Self.post(client, #"{"pin":"\#(otherWrong)"}"#, uri: otherPath).status == .forbidden) }
            let limited = try await Self.post(client, #"{"pin":"\#(pins[other.serial]!)"}"#, uri: otherPath)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // Per client: the budget of 6 attempts is spent, on any unit.
            let third = try UnitCode.parse(fixture.codes[2])
            let thirdPath = "/01/\(third.gtin)/10/\(third.lot)/21/\(third.serial)/verify-pin"
            let clientLimited = try await Self.post(client, #"{"pin":"\#(pins[third.serial]!)"}"#, uri: thirdPath)
            #expect(clientLimited.status == .tooManyRequests)
        }
    }
}
