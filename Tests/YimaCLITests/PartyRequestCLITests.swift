import Foundation
import Testing
import YimaTestSupport

/// The county's side of workbench registrations (docs/api.md §Approving
/// registrations): a request made over HTTP, signed with openssl alone (as a third
/// party's client would), then listed, approved and rejected with the CLI.
@Suite struct PartyRequestCLITests {
    /// A registration request for a fresh Ed25519 key, built and signed with openssl.
    static func request(_ dir: TemporaryDirectory, name: String, party: String, code: String) throws -> (body: String, kid: String) {
        let key = dir.file("\(name).key"), pub = dir.file("\(name).pub")
        #expect(try run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", key]).status == 0)
        #expect(try run("openssl", ["pkey", "-in", key, "-pubout", "-out", pub]).status == 0)
        let pem = try String(contentsOfFile: pub, encoding: .utf8)
        let der = try run("openssl", ["pkey", "-pubin", "-in", pub, "-outform", "DER"]).stdout
        let kid = String(try run("sha256sum", [], input: der).output.prefix(16))
        let formatter = ISO8601DateFormatter()
        let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        // Canonical JSON by hand: members sorted, no whitespace, the PEM's newlines escaped.
        let payload = #"{"kind":"registration_request","nonce":"\#(nonce)","party":{"address":"陕西省西安市周至县","#
            + #""credit_code":"\#(code)","id":"\#(party)","name":"\#(name)","roles":["producer"]},"#
            + #""public_key":"\#(pem.replacingOccurrences(of: "\n", with: "\\n"))","time":"\#(formatter.string(from: Date()))","v":1}"#
        let message = dir.file("\(name).msg")
        try Data("yima-record/1\n".utf8 + Data(payload.utf8)).write(to: URL(fileURLWithPath: message))
        let signature = try run("openssl", ["pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", message]).stdout
        func base64url(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let envelope = #"{"alg":"ed25519","kid":"\#(kid)","payload":"\#(base64url(Data(payload.utf8)))","sig":"\#(base64url(signature))","v":1}"#
        return (envelope, kid)
    }

    static func post(_ base: String, _ body: String) throws -> String {
        try run("curl", ["-s", "-H", "Content-Type: application/json", "--data-binary", "@-", base + "/api/v1/registrations"],
                input: Data(body.utf8)).output
    }

    @Test func theCountyListsApprovesAndRejectsRequests() throws {
        let dir = try TemporaryDirectory()
        let data = dir.file("data")
        #expect(try CLITests.yima(["init", "--data", data, "--demo-authority"]).status == 0)
        let server = try LedgerCLITests.Server(data: data)
        defer { server.stop() }
        #expect(try CLITests.yima(["party", "requests", "--data", data]).output.contains("no registration requests are pending"))

        let (first, kid) = try Self.request(dir, name: "周至县一号家庭农场", party: "farm-one", code: "91350100M000100Y43")
        let accepted = try Self.post(server.base, first)
        #expect(accepted.contains(#""status":"pending""#), "\(accepted)")
        let id = String(accepted.split(separator: "\"").drop { $0 != "id" }.dropFirst(2).first ?? "")
        #expect(id.count == 64)

        let listed = try CLITests.yima(["party", "requests", "--data", data])
        #expect(listed.status == 0)
        #expect(listed.output.contains(id) && listed.output.contains("farm-one") && listed.output.contains("91350100M000100Y43")
                && listed.output.contains(kid), "\(listed.output)")
        let json = try CLITests.yima(["party", "requests", "--data", data, "--json"])
        #expect(json.output.contains(#""credit_code":"91350100M000100Y43""#))

        // A prefix too short, an unknown id: refused, nothing signed.
        #expect(try CLITests.yima(["party", "approve", "--data", data, "--key", data + "/authority/authority.key", "abc"]).status != 0)
        let approved = try CLITests.yima(["party", "approve", "--data", data, "--key", data + "/authority/authority.key", String(id.prefix(12))])
        #expect(approved.status == 0, "\(approved.stderr) \(approved.output)")
        #expect(approved.output.contains("approved registration request \(id)") && approved.output.contains("party farm-one"))
        #expect(try CLITests.yima(["party", "requests", "--data", data]).output.contains("no registration requests are pending"))
        // Approved once: the party is registered, the request no longer pending.
        let twice = try CLITests.yima(["party", "approve", "--data", data, "--key", data + "/authority/authority.key", id])
        #expect(twice.status != 0 && twice.stderr.contains("already decided"), "\(twice.stderr)")
        #expect(try server.get("/api/v1/registrations/\(id)").contains(#""status":"approved""#))
        // The same credit code again is already registered.
        let (copy, _) = try Self.request(dir, name: "冒名农场", party: "farm-copy", code: "91350100M000100Y43")
        #expect(try Self.post(server.base, copy).contains(#""error":"already-registered""#))

        let (second, _) = try Self.request(dir, name: "周至县二号家庭农场", party: "farm-two", code: "91610124MA6TG00005")
        let secondID = String(try Self.post(server.base, second).split(separator: "\"").drop { $0 != "id" }.dropFirst(2).first ?? "")
        let noReason = try CLITests.yima(["party", "reject", "--data", data, "--reason", " ", secondID])
        #expect(noReason.status != 0)
        let rejected = try CLITests.yima(["party", "reject", "--data", data, "--reason", "地址不全，请补充村组", secondID])
        #expect(rejected.status == 0, "\(rejected.stderr)")
        let state = try server.get("/api/v1/registrations/\(secondID)")
        #expect(state.contains(#""status":"rejected""#) && state.contains("地址不全"), "\(state)")
    }
}
