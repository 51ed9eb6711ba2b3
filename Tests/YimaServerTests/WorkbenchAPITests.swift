import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// The producer workbench's endpoints (docs/api.md §Producer workbench) on the real
/// `yima serve` binary, spoken to with curl, with real signatures: every happy path
/// and every refusal, each checked against the store for what was (not) written.
@Suite(.serialized) struct WorkbenchAPITests {
    /// An answer as curl saw it.
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? CanonicalJSON.parse(Array(body)) }
        var error: String? { json?["error"]?.string }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// `yima serve` over a fixture's data folder, and curl.
    final class Served: @unchecked Sendable {
        let fixture: ServerFixture
        let server: LocalServer
        let scratch: TemporaryDirectory
        var base: String { server.base }

        init(fixture: ServerFixture = try! ServerFixture(), workbench: String? = nil, extra: [String] = []) throws {
            self.fixture = fixture
            scratch = try TemporaryDirectory()
            let folder = workbench ?? Repository.root.appendingPathComponent("workbench").path
            server = try LocalServer(executable: Repository.builtProduct("yima")) { port in
                ["serve", "--data", fixture.directory.path, "--host", "127.0.0.1", "--port", "\(port)", "--trust-forwarded-for",
                 "--templates", Repository.root.appendingPathComponent("templates").path, "--workbench", folder,
                 "--log-level", "warning"] + extra
            }
        }

        deinit { server.stop() }

        func send(_ method: String, _ path: String, body: [UInt8]? = nil, type: String? = "application/json",
                  headers: [String: String] = [:], client: String = "10.0.0.1") throws -> Answer {
            let id = UUID().uuidString
            let head = scratch.file("\(id).head"), out = scratch.file("\(id).body")
            var arguments = ["-s", "--path-as-is", "-D", head, "-o", out, "-w", "%{http_code} %{size_download}",
                             "-H", "X-Forwarded-For: \(client)"]
            arguments += method == "HEAD" ? ["--head"] : ["-X", method]
            if let type { arguments += ["-H", "Content-Type: \(type)"] }
            for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
            if let body {
                let file = scratch.file("\(id).in")
                try Data(body).write(to: URL(fileURLWithPath: file))
                arguments += ["--data-binary", "@" + file]
            }
            let result = try run("curl", arguments + [base + path])
            var fields: [String: String] = [:]
            for line in (try? String(contentsOfFile: head, encoding: .utf8))?.split(separator: "\r\n") ?? [] {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let written = result.output.split(separator: " ")
            // With --head curl writes the headers to -o too: the body is what it downloaded after them.
            let downloaded = written.count == 2 ? Int(written[1]) ?? 0 : 0
            let body = method == "HEAD" ? Data(repeating: 0, count: downloaded) : FileManager.default.contents(atPath: out) ?? Data()
            return Answer(status: Int(written.first ?? "") ?? 0, headers: fields, body: body)
        }

        func post(_ path: String, _ value: JSONValue, client: String = "10.0.0.1") throws -> Answer {
            try send("POST", path, body: CanonicalJSON.encode(value), client: client)
        }

        func post(_ path: String, _ envelope: Envelope, client: String = "10.0.0.1") throws -> Answer {
            try send("POST", path, body: envelope.encoded, client: client)
        }
    }

    /// The OpenAPI document's schema for an answer, checked on `answer`'s JSON.
    static func conforms(_ answer: Answer, _ path: String, _ status: Int) -> [String] {
        guard let text = try? String(contentsOf: Repository.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8) else {
            return ["docs/openapi.yaml unreadable"]
        }
        let checker = SchemaChecker(document: MiniYAML.parse(text))
        guard let schema = checker.responseSchema(path, "post", status) ?? checker.responseSchema(path, "get", status) else {
            return ["no schema for \(path) \(status)"]
        }
        guard let json = answer.json else { return ["not JSON: \(answer.text)"] }
        return checker.problems(json, schema)
    }

    // MARK: Signed requests

    static func nonce() -> String {
        Base64.urlEncode((0..<16).map { _ in UInt8.random(in: 0...255) })
    }

    static func time(_ offset: TimeInterval = 0) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date().addingTimeInterval(offset))
    }

    static func signed(_ members: [String: JSONValue], kind: String, key: PrivateKey, time: String = time(),
                       nonce: String = nonce()) throws -> Envelope {
        var payload = members
        payload["v"] = .integer(1)
        payload["kind"] = .string(kind)
        payload["time"] = .string(time)
        payload["nonce"] = .string(nonce)
        return try Envelope.sign(payload: CanonicalJSON.encode(.object(payload)), with: key)
    }

    /// GB 32100 check character, computed here independently of the code under test.
    static func creditCode(_ first17: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let sum = zip(first17, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        return first17 + String(alphabet[(31 - sum % 31) % 31])
    }

    /// The `n`th test credit code (Shaanxi, Zhouzhi county).
    static func code(_ n: Int) -> String { creditCode("91610124MA6TG" + String(format: "%04d", n)) }

    static func registration(key: PrivateKey, party id: String, code: String, signer: PrivateKey? = nil, time: String = time(),
                             extra: [String: JSONValue] = [:]) throws -> Envelope {
        var party: [String: JSONValue] = ["id": .string(id), "name": .string("周至县\(id)家庭农场"), "roles": .array([.string("producer")]),
                                          "credit_code": .string(code), "address": .string("陕西省西安市周至县楼观镇"),
                                          "contact": .string("029-87000001")]
        party.merge(extra) { $1 }
        return try signed(["public_key": .string(key.publicKey.pem), "party": .object(party)], kind: "registration_request",
                          key: signer ?? key, time: time)
    }

    // MARK: Static files

    @Test func workbenchFilesAreServedWithTheirHeadersAndNothingOutsideTheFolder() throws {
        let root = try TemporaryDirectory()
        let folder = root.file("workbench")
        try FileManager.default.createDirectory(atPath: folder + "/js", withIntermediateDirectories: true)
        try "<!doctype html><title>工作台</title>".write(toFile: folder + "/index.html", atomically: true, encoding: .utf8)
        try "self.addEventListener('fetch', () => {});".write(toFile: folder + "/sw.js", atomically: true, encoding: .utf8)
        try "export const a = 1;".write(toFile: folder + "/js/app.js", atomically: true, encoding: .utf8)
        try "{\"name\":\"Yima\"}".write(toFile: folder + "/manifest.webmanifest", atomically: true, encoding: .utf8)
        try "hidden".write(toFile: folder + "/.env", atomically: true, encoding: .utf8)
        try "TOP SECRET".write(toFile: root.file("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/escape.txt", withDestinationPath: root.file("secret.txt"))
        let served = try Served(workbench: folder)
        let policy = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        func secured(_ answer: Answer, _ what: String) {
            #expect(answer.header("Content-Security-Policy") == policy, "\(what)")
            #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(what)")
            #expect(answer.header("Referrer-Policy") == "no-referrer", "\(what)")
            #expect(answer.header("Access-Control-Allow-Origin") == nil, "\(what): same-origin only")
        }

        let redirect = try served.send("GET", "/workbench", type: nil)
        #expect(redirect.status == 308 && redirect.header("Location") == "/workbench/")
        secured(redirect, "redirect")
        let index = try served.send("GET", "/workbench/", type: nil)
        #expect(index.status == 200 && index.text == "<!doctype html><title>工作台</title>")
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")
        #expect(index.header("Cache-Control") == "no-cache")
        secured(index, "index")
        let tag = try #require(index.header("ETag"))
        #expect(tag.hasPrefix("\"") && tag.count == 34)
        let again = try served.send("GET", "/workbench/index.html", type: nil, headers: ["If-None-Match": tag])
        #expect(again.status == 304 && again.body.isEmpty)
        secured(again, "304")

        let script = try served.send("GET", "/workbench/js/app.js", type: nil)
        #expect(script.status == 200 && script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(try served.send("GET", "/workbench/sw.js", type: nil).header("Service-Worker-Allowed") == "/workbench/")
        #expect(try served.send("GET", "/workbench/manifest.webmanifest", type: nil).header("Content-Type")
                == "application/manifest+json; charset=utf-8")
        let head = try served.send("HEAD", "/workbench/js/app.js", type: nil)
        #expect(head.status == 200 && head.body.isEmpty && head.header("ETag") != nil)
        secured(head, "HEAD")

        // Nothing outside the folder, however the path is spelt; nothing hidden.
        for path in ["/workbench/../secret.txt", "/workbench/js/../../secret.txt", "/workbench/%2e%2e/secret.txt",
                     "/workbench/%2E%2E%2Fsecret.txt", "/workbench/..%2fsecret.txt", "/workbench//etc/passwd",
                     "/workbench/.env", "/workbench/escape.txt", "/workbench/js", "/workbench/missing.js",
                     "/workbench/js/app.js%00.html", "/workbench/\\..\\secret.txt"] {
            let answer = try served.send("GET", path, type: nil)
            #expect(answer.status == 404, "\(path): \(answer.status)")
            #expect(answer.error == "not-found", "\(path)")
            #expect(!answer.text.contains("SECRET") && !answer.text.contains("hidden") && !answer.text.contains("root:"), "\(path)")
            secured(answer, path)
        }
        let post = try served.send("POST", "/workbench/", body: Array("x".utf8))
        #expect(post.status == 405)
        secured(post, "POST")
    }

    // MARK: Rules

    @Test func theBannedPesticideListIsTheRulesOwnFile() throws {
        let served = try Served()
        let file = try Data(contentsOf: Repository.root.appendingPathComponent("Sources/YimaRecords/Rules/banned-pesticides.json"))
        let answer = try served.send("GET", "/api/v1/rules/banned-pesticides", type: nil)
        #expect(answer.status == 200 && answer.body == file)
        #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
        #expect(answer.header("Access-Control-Allow-Origin") == "*")
        let tag = try #require(answer.header("ETag"))
        #expect(try served.send("GET", "/api/v1/rules/banned-pesticides", type: nil, headers: ["If-None-Match": tag]).status == 304)
        let head = try served.send("HEAD", "/api/v1/rules/banned-pesticides", type: nil)
        #expect(head.status == 200 && head.body.isEmpty)
        // The same data the rules apply: parsing it gives the bundled list.
        #expect(try BannedPesticideList(json: Array(answer.body)).pesticides.count == BannedPesticideList.bundled.pesticides.count)
    }

    // MARK: Dry run

    @Test func theDryRunNamesEveryRuleAndStoresNothing() throws {
        let served = try Served()
        let fixture = served.fixture
        let before = try fixture.store.recordCount()
        func draft(_ type: String, _ data: String) throws -> JSONValue {
            let envelope = try fixture.signedEvent(type, WriteTests.now(), data)
            return try CanonicalJSON.decode(envelope.payload)
        }
        func check(_ draft: JSONValue, kid: String? = nil) throws -> Answer {
            try served.post("/api/v1/records/check", .object(["draft": draft, "kid": .string(kid ?? fixture.producer.id.hex)]))
        }

        let fine = try check(try draft("care", #"{"activity":"weeding"}"#))
        #expect(fine.status == 200 && fine.json?["ok"]?.bool == true && fine.json?["problems"]?.array?.isEmpty == true, "\(fine.text)")
        #expect(Self.conforms(fine, "/api/v1/records/check", 200).isEmpty)

        // 甲胺磷 is banned on every crop; the answer names the rule, the field, in both languages.
        let banned = try check(try draft("input_application", """
            {"input":"pesticide","name":"甲胺磷","registration_number":"PD20080123","active_ingredient":"甲胺磷 50%",
             "dose":{"unit":"毫升/亩","value":"30"},"method":"喷雾","date":"\(WriteTests.today())","safety_interval_days":7}
            """))
        #expect(banned.status == 200 && banned.json?["ok"]?.bool == false)
        #expect(Self.conforms(banned, "/api/v1/records/check", 200).isEmpty)
        let problem = try #require(banned.json?["problems"]?.array?.first)
        #expect(problem["rule"]?.string == "banned-pesticide")
        #expect(problem["fields"]?.array?.isEmpty == false)
        #expect(problem["message"]?["zh-CN"]?.string?.isEmpty == false && problem["message"]?["en"]?.string?.isEmpty == false)

        // A harvest inside the 14-day interval of the fixture's 2026-08-20 application.
        let early = try check(try draft("harvest", #"{"date":"2026-08-25","quantity":{"unit":"KGM","value":"10"}}"#))
        #expect(early.json?["problems"]?.array?.compactMap { $0["rule"]?.string } == ["safety-interval"], "\(early.text)")

        // Every rule broken is listed: an event before the batch's last, on a stale head.
        var stale = try draft("care", #"{"activity":"pruning"}"#)
        if case .object(var fields) = stale {
            fields["time"] = .string("2026-08-01T08:00:00+08:00")
            fields["prev"] = .string(String(repeating: "0", count: 64))
            stale = .object(fields)
        }
        let rules = try check(stale).json?["problems"]?.array?.compactMap { $0["rule"]?.string } ?? []
        #expect(rules.contains("chain-link") && rules.contains("time-order"), "\(rules)")

        // Checks that are not domain rules carry the write API's error id.
        let malformed = try check(.object(["kind": .string("event"), "v": .integer(1)]))
        #expect(malformed.json?["problems"]?.array?.first?["rule"]?.string == "malformed-record")
        let stranger = try check(try draft("care", #"{"activity":"weeding"}"#), kid: fixture.stranger.id.hex)
        #expect(stranger.json?["problems"]?.array?.first?["rule"]?.string == "unknown-key")

        // The request itself wrong: 400, 415, 413.
        let noKid = try served.post("/api/v1/records/check", .object(["draft": .object([:])]))
        #expect(noKid.status == 400 && noKid.error == "invalid-check-request" && noKid.json?["field"]?.string == "kid")
        #expect(noKid.json?["message_zh"]?.string?.isEmpty == false && noKid.json?["message_en"]?.string?.isEmpty == false)
        #expect(try served.send("POST", "/api/v1/records/check", body: Array("{".utf8)).error == "invalid-json")
        #expect(try served.send("POST", "/api/v1/records/check", body: Array("{}".utf8), type: "text/plain").status == 415)
        let huge = try served.send("POST", "/api/v1/records/check", body: Array(repeating: 0x20, count: 70_000))
        #expect(huge.status == 413 && huge.error == "body-too-large")
        #expect(try fixture.store.recordCount() == before)
    }

    // MARK: Registrations

    @Test func aRegistrationWaitsForTheCountyAndEveryBadOneIsRefused() throws {
        let served = try Served()
        let store = served.fixture.store
        let records = try store.recordCount()
        let key = try PrivateKey.generate(.ed25519)
        let code = Self.code(1)
        let request = try Self.registration(key: key, party: "zhouzhi-family-farm-1", code: code)
        let accepted = try served.post("/api/v1/registrations", request)
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(Self.conforms(accepted, "/api/v1/registrations", 202).isEmpty)
        let id = try #require(accepted.json?["id"]?.string)
        #expect(id == request.recordID.hex && accepted.json?["status"]?.string == "pending")
        #expect(accepted.json?["credit_code"]?.string == code && accepted.json?["kid"]?.string == key.id.hex)
        #expect(try served.send("GET", "/api/v1/registrations/\(id)", type: nil).json?["status"]?.string == "pending")
        // Pending registers nothing: the key signs nothing yet.
        #expect(try store.recordCount() == records)
        #expect(try store.registrations(status: .pending).map(\.id) == [id])

        func refused(_ answer: Answer, _ status: Int, _ error: String, field: String? = nil, _ what: String) throws {
            #expect(answer.status == status, "\(what): \(answer.status) \(answer.text)")
            #expect(answer.error == error, "\(what): \(answer.text)")
            if let field { #expect(answer.json?["field"]?.string == field, "\(what): \(answer.text)") }
            #expect(answer.json?["message_zh"]?.string?.isEmpty == false, "\(what)")
            #expect(Self.conforms(answer, "/api/v1/registrations", status).isEmpty, "\(what)")
            #expect(try store.registrations(status: .pending).map(\.id) == [id], "\(what) stored nothing")
            #expect(try store.recordCount() == records, "\(what)")
        }
        let other = try PrivateKey.generate(.p256)
        try refused(try served.post("/api/v1/registrations", request), 409, "replayed-request", "the same request again")
        try refused(try served.post("/api/v1/registrations", try Self.registration(key: other, party: "another-farm", code: code)),
                    409, "already-pending", field: "party.credit_code", "a pending credit code")
        try refused(try served.post("/api/v1/registrations",
                                    try Self.registration(key: other, party: "copycat", code: "91350100M000100Y43")),
                    409, "already-registered", field: "party.credit_code", "a registered credit code")
        try refused(try served.post("/api/v1/registrations",
                                    try Self.registration(key: other, party: ServerFixture.producerID, code: Self.code(2))),
                    409, "already-registered", field: "party.id", "a registered party id")
        let wrongCheck = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
        try refused(try served.post("/api/v1/registrations", try Self.registration(key: other, party: "typo-farm", code: wrongCheck)),
                    400, "invalid-registration", field: "party.credit_code", "a wrong check character")
        try refused(try served.post("/api/v1/registrations",
                                    try Self.registration(key: other, party: "keyless", code: Self.code(3),
                                                          signer: served.fixture.stranger)),
                    401, "bad-signature", "signed by another key than public_key")
        let honest = try Self.registration(key: other, party: "tampered", code: Self.code(4))
        var signature = honest.signature
        signature[3] ^= 0x40
        try refused(try served.post("/api/v1/registrations", Envelope(algorithm: honest.algorithm, keyID: honest.keyID,
                                                                       payload: honest.payload, signature: signature)),
                    401, "bad-signature", "a tampered signature")
        let stale = try served.post("/api/v1/registrations", try Self.registration(key: other, party: "late-farm",
                                                                                    code: Self.code(5), time: Self.time(-600)))
        try refused(stale, 401, "stale-request", "ten minutes old")
        #expect(stale.json?["server_time"]?.string?.hasSuffix("Z") == true)
        try refused(try served.post("/api/v1/registrations",
                                    try Self.registration(key: other, party: "future-farm", code: Self.code(5),
                                                          time: Self.time(600))), 401, "stale-request", "ten minutes ahead")
        try refused(try served.post("/api/v1/registrations",
                                    try Self.registration(key: other, party: "keys-farm", code: Self.code(6),
                                                          extra: ["valid_until": .string("2030-01-01T00:00:00+08:00")])),
                    400, "invalid-registration", field: "party.valid_until", "a member the authority sets")
        try refused(try served.send("POST", "/api/v1/registrations", body: Array("not json".utf8)), 400, "invalid-json", "not JSON")
        try refused(try served.post("/api/v1/registrations", .object(["alg": .string("ed25519")])), 400, "malformed-envelope", "not an envelope")
        try refused(try served.send("POST", "/api/v1/registrations", body: request.encoded, type: "text/plain"),
                    415, "unsupported-media-type", "text/plain")
        let padded = Array(request.encoded) + Array(repeating: UInt8(ascii: " "), count: 9000)
        try refused(try served.send("POST", "/api/v1/registrations", body: padded), 413, "body-too-large", "over 8 KiB")
        #expect(try served.send("GET", "/api/v1/registrations/\(String(repeating: "a", count: 64))", type: nil).status == 404)
        #expect(try served.send("GET", "/api/v1/registrations/xyz", type: nil).status == 400)

        // The county approves: the party record is signed by the authority key and the key may sign.
        let (approved, receipt) = try served.fixture.service.registrations.approve(String(id.prefix(10)), authorityKey: served.fixture.authority)
        #expect(approved.status == .approved)
        let state = try served.send("GET", "/api/v1/registrations/\(id)", type: nil).json
        #expect(state?["status"]?.string == "approved" && state?["record"]?.string == receipt.id.hex)
        guard case .party(let party) = receipt.record else { Issue.record("not a party record"); return }
        #expect(party.publicKeys.map(\.id) == [key.id] && party.id.rawValue == "zhouzhi-family-farm-1")
        #expect(try store.recordCount() == records + 1)
    }

    @Test func registrationsAreRateLimitedPerClient() throws {
        let served = try Served()
        for index in 0..<5 {
            let request = try Self.registration(key: try PrivateKey.generate(.ed25519), party: "rate-farm-\(index)",
                                                code: Self.code(100 + index))
            #expect(try served.post("/api/v1/registrations", request, client: "10.9.9.9").status == 202)
        }
        let sixth = try Self.registration(key: try PrivateKey.generate(.ed25519), party: "rate-farm-6", code: Self.code(106))
        let limited = try served.post("/api/v1/registrations", sixth, client: "10.9.9.9")
        #expect(limited.status == 429 && limited.error == "too-many-requests")
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 > 0)
        #expect(try served.fixture.store.registrations(status: .pending).count == 5)
        // Another client is not held back.
        #expect(try served.post("/api/v1/registrations", sixth, client: "10.9.9.10").status == 202)
    }

    // MARK: Issuances

    /// `count` codes of `batch` signed with `key`, as the browser makes them.
    static func codes(_ count: Int, key: PrivateKey, gtin: String = ServerFixture.gtin, lot: String = ServerFixture.lot) throws -> [String] {
        let symbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return try (0..<count).map { _ in
            let serial = String((0..<12).map { _ in symbols.randomElement()! })
            let signature = try key.sign(UnitCode.signedMessage(keyID: key.id, gtin: gtin, lot: lot, serial: serial))
            return UnitCode(stem: "https://TRACE.EXAMPLE.CN", gtin: gtin, lot: lot, serial: serial, keyHint: key.id.short, signature: signature).uri
        }
    }

    static func issuance(_ fixture: ServerFixture, count: Int, key: PrivateKey? = nil, kid: String? = nil) throws -> Envelope {
        let key = key ?? fixture.producer
        return try fixture.signedEvent("unit_issuance", WriteTests.now(), #"{"count":\#(count),"kid":"\#(kid ?? key.id.hex)"}"#, key: key)
    }

    static func body(_ event: Envelope, _ codes: [String]) throws -> JSONValue {
        .object(["event": try CanonicalJSON.parse(event.encoded), "codes": .array(codes.map(JSONValue.string))])
    }

    @Test func browserSignedCodesAreStoredInOneTransactionAndRetriesAreIdempotent() throws {
        let served = try Served(extra: ["--issuance-body-limit", "65536"])
        let fixture = served.fixture
        let store = fixture.store
        let (records, units) = (try store.recordCount(), try store.serials(gtin: ServerFixture.gtin, lot: ServerFixture.lot).count)
        func unchanged(_ what: String) throws {
            #expect(try store.recordCount() == records, "\(what)")
            #expect(try store.serials(gtin: ServerFixture.gtin, lot: ServerFixture.lot).count == units, "\(what)")
        }
        func refused(_ answer: Answer, _ status: Int, _ error: String, _ what: String) throws {
            #expect(answer.status == status && answer.error == error, "\(what): \(answer.status) \(answer.text)")
            #expect(Self.conforms(answer, "/api/v1/issuances", status).isEmpty, "\(what)")
            try unchanged(what)
        }

        // Refusals first, each storing nothing.
        let forgedCodes = try Self.codes(20, key: fixture.producer)
        var forged = forgedCodes
        forged[7] = try Self.codes(1, key: fixture.stranger)[0].replacingOccurrences(of: "?s=1\(String(format: "%010u", fixture.stranger.id.short))",
                                                                                     with: "?s=1\(String(format: "%010u", fixture.producer.id.short))")
        let event = try Self.issuance(fixture, count: 20)
        let forgedAnswer = try served.post("/api/v1/issuances", try Self.body(event, forged))
        try refused(forgedAnswer, 422, "forged-code", "a code signed by another key")
        #expect(forgedAnswer.json?["field"]?.string == "codes[7]")
        try refused(try served.post("/api/v1/issuances", try Self.body(event, Array(forgedCodes.prefix(19)))), 400, "invalid-issuance",
                    "count differs from the event's")
        var otherBatch = forgedCodes
        otherBatch[0] = try Self.codes(1, key: fixture.producer, lot: "OTHER-LOT")[0]
        try refused(try served.post("/api/v1/issuances", try Self.body(event, otherBatch)), 400, "invalid-issuance", "a code of another batch")
        var twice = forgedCodes
        twice[1] = twice[0]
        try refused(try served.post("/api/v1/issuances", try Self.body(event, twice)), 400, "invalid-issuance", "a serial twice")
        var malformed = forgedCodes
        malformed[2] = "https://TRACE.EXAMPLE.CN/01/06901234567892/10/2026-KIWI-07/21/abc?s=1"
        try refused(try served.post("/api/v1/issuances", try Self.body(event, malformed)), 400, "malformed-code", "a malformed code")
        var reissued = forgedCodes
        reissued[3] = fixture.codes[0]
        try refused(try served.post("/api/v1/issuances", try Self.body(event, reissued)), 409, "issuance-conflict", "a serial already issued")
        let laboratory = try Self.issuance(fixture, count: 20, key: fixture.laboratory)
        let labCodes = try Self.codes(20, key: fixture.laboratory)
        try refused(try served.post("/api/v1/issuances", try Self.body(laboratory, labCodes)), 403, "not-authorised", "not the batch owner")
        var tampered = event.signature
        tampered[0] ^= 1
        let badEvent = Envelope(algorithm: event.algorithm, keyID: event.keyID, payload: event.payload, signature: tampered)
        try refused(try served.post("/api/v1/issuances", try Self.body(badEvent, forgedCodes)), 401, "bad-signature", "a bad event signature")
        try refused(try served.post("/api/v1/issuances", .object(["codes": .array([])])), 400, "invalid-issuance", "no event")
        try refused(try served.send("POST", "/api/v1/issuances", body: CanonicalJSON.encode(try Self.body(event, forgedCodes)), type: "text/plain"),
                    415, "unsupported-media-type", "text/plain")
        let big = try Self.issuance(fixture, count: 300)
        try refused(try served.post("/api/v1/issuances", try Self.body(big, try Self.codes(300, key: fixture.producer))), 413, "body-too-large",
                    "over --issuance-body-limit")

        // Stored: the event and every unit, in one go.
        let created = try served.post("/api/v1/issuances", try Self.body(event, forgedCodes))
        #expect(created.status == 201, "\(created.text)")
        #expect(Self.conforms(created, "/api/v1/issuances", 201).isEmpty)
        #expect(created.json?["id"]?.string == event.recordID.hex && created.json?["count"]?.integer == 20)
        #expect(created.json?["batch"]?.string == "\(ServerFixture.gtin)/\(ServerFixture.lot)")
        #expect(try store.recordCount() == records + 1)
        #expect(try store.serials(gtin: ServerFixture.gtin, lot: ServerFixture.lot).count == units + 20)
        // Every uploaded code is genuine to the resolver, as a phone would scan it.
        for code in forgedCodes.prefix(3) {
            let lookup = try served.send("GET", ServerFixture.target(code), type: nil, headers: ["Accept": "application/json"])
            #expect(lookup.status == 200 && lookup.json?["verdict"]?.string == "genuine", "\(lookup.text)")
        }
        // A retry after a lost answer: 200, the same body, nothing more stored.
        let retry = try served.post("/api/v1/issuances", try Self.body(event, forgedCodes))
        #expect(retry.status == 200 && retry.body == created.body)
        // The same event with other codes: 409.
        let conflict = try served.post("/api/v1/issuances", try Self.body(event, try Self.codes(20, key: fixture.producer)))
        #expect(conflict.status == 409 && conflict.error == "issuance-conflict")
        #expect(try store.recordCount() == records + 1)
        #expect(try store.serials(gtin: ServerFixture.gtin, lot: ServerFixture.lot).count == units + 20)
    }

    // MARK: Labels

    static func labelRequest(_ format: String = "pdf", template: String = "40x30", key: PrivateKey, time: String = time(),
                             nonce: String = nonce(), extra: [String: JSONValue] = [:]) throws -> Envelope {
        var members: [String: JSONValue] = [
            "batch": .object(["gtin": .string(ServerFixture.gtin), "lot": .string(ServerFixture.lot)]),
            "format": .string(format), "template": .string(template),
        ]
        members.merge(extra) { $1 }
        return try signed(members, kind: "label_request", key: key, time: time, nonce: nonce)
    }

    @Test func onlyTheBatchOwnerGetsItsLabelsOnceForEachSignedRequest() throws {
        let served = try Served()
        let fixture = served.fixture
        let records = try fixture.store.recordCount()

        let pdf = try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.producer, extra: ["sheet": .bool(true)]))
        #expect(pdf.status == 200, "\(pdf.text)")
        #expect(pdf.header("Content-Type") == "application/pdf" && pdf.body.prefix(5) == Data("%PDF-".utf8))
        #expect(pdf.header("Content-Disposition") == "attachment; filename=\"\(ServerFixture.gtin)-\(ServerFixture.lot).pdf\"")
        // Every label's QR decodes to an issued code, read by zbarimg from the PDF rasterised by Ghostscript.
        let pdfFile = served.scratch.file("labels.pdf")
        try pdf.body.write(to: URL(fileURLWithPath: pdfFile))
        let pages = try run("gs", ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r300",
                                   "-sOutputFile=" + served.scratch.file("page-%d.png"), pdfFile])
        #expect(pages.status == 0, "\(pages.stderr)")
        let images = try FileManager.default.contentsOfDirectory(atPath: served.scratch.path).filter { $0.hasPrefix("page") }
        let decoded = try run("zbarimg", ["--raw", "-q", "-Sqrcode.enable"] + images.map { served.scratch.file($0) })
        let printed = Set(decoded.output.split(separator: "\n").map { ServerFixture.target(String($0)) })
        #expect(printed == Set(fixture.codes.map(ServerFixture.target)), "\(decoded.output)")
        #expect(decoded.output.hasPrefix(served.base.uppercased().replacingOccurrences(of: "HTTP://", with: "http://")), "the request's host")
        let zpl = try served.post("/api/v1/labels", try Self.labelRequest("zpl", key: fixture.producer))
        #expect(zpl.status == 200 && zpl.header("Content-Type") == "text/plain; charset=us-ascii")
        #expect(zpl.text.components(separatedBy: "^XA").count - 1 == fixture.codes.count)
        let tspl = try served.post("/api/v1/labels", try Self.labelRequest("tspl", key: fixture.producer, extra: ["dpi": .integer(300)]))
        #expect(tspl.status == 200 && tspl.header("Content-Type") == "application/octet-stream")
        #expect(tspl.text.components(separatedBy: "PRINT").count - 1 == fixture.codes.count)

        func refused(_ answer: Answer, _ status: Int, _ error: String, _ what: String) throws {
            #expect(answer.status == status && answer.error == error, "\(what): \(answer.status) \(answer.text)")
            #expect(answer.header("Content-Type") == "application/json; charset=utf-8", "\(what)")
            #expect(Self.conforms(answer, "/api/v1/labels", status).isEmpty, "\(what)")
            #expect(try fixture.store.recordCount() == records, "\(what)")
        }
        let once = try Self.labelRequest(key: fixture.producer)
        #expect(try served.post("/api/v1/labels", once).status == 200)
        try refused(try served.post("/api/v1/labels", once), 409, "replayed-request", "the same request again")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.laboratory)), 403, "not-batch-owner", "another party")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.stranger)), 401, "unknown-key", "an unregistered key")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.producer, time: Self.time(-301))), 401,
                    "stale-request", "five minutes old")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.producer, time: Self.time(400))), 401,
                    "stale-request", "ahead of the server")
        let honest = try Self.labelRequest(key: fixture.producer)
        var signature = honest.signature
        signature[9] ^= 0x02
        try refused(try served.post("/api/v1/labels", Envelope(algorithm: honest.algorithm, keyID: honest.keyID, payload: honest.payload,
                                                                signature: signature)), 401, "bad-signature", "a tampered signature")
        // The tampered copy used nothing up: the honest request still works.
        #expect(try served.post("/api/v1/labels", honest).status == 200)
        try refused(try served.post("/api/v1/labels", try Self.labelRequest("png", key: fixture.producer)), 400, "invalid-label-request", "png")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest("zpl", key: fixture.producer, extra: ["sheet": .bool(true)])),
                    400, "invalid-label-request", "sheet with zpl")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(template: "../lookup", key: fixture.producer)), 400,
                    "invalid-label-request", "a template path")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(template: "nosuch", key: fixture.producer)), 404,
                    "unknown-template", "no such template")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(template: "carton-100x70", key: fixture.producer)), 404,
                    "unknown-template", "a carton template")
        try refused(try served.post("/api/v1/labels", try Self.labelRequest(key: fixture.producer, nonce: "short")), 400,
                    "invalid-label-request", "a short nonce")
        try refused(try served.send("POST", "/api/v1/labels", body: try Self.labelRequest(key: fixture.producer).encoded, type: "text/plain"),
                    415, "unsupported-media-type", "text/plain")
    }

    // MARK: Certificates

    @Test func aCertificatePostedFromTheWorkbenchLinksItsPrintableLabel() throws {
        let served = try Served()
        let certificate = try served.fixture.signedEvent("certificate", WriteTests.now(), """
            {"number":"HG-2026-0001","quantity":{"unit":"KGM","value":"500"},"basis":"self_test","contact":"029-87000000"}
            """)
        let stored = try served.post("/api/v1/records", certificate)
        #expect(stored.status == 201, "\(stored.text)")
        let link = try #require(stored.json?["certificate"]?.string)
        #expect(link == "/certificates/\(certificate.recordID.hex)")
        let label = try served.send("GET", link, type: nil)
        #expect(label.status == 200 && label.header("Content-Type") == "image/svg+xml; charset=utf-8")
        #expect(label.text.contains("承诺达标合格证"))
    }
}
