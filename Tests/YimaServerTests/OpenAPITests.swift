import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaCodes
import YimaRecords
import YimaServer
import YimaService
import YimaTestSupport

/// The block-style YAML subset docs/openapi.yaml is written in: mappings,
/// sequences, flow sequences of scalars, quoted scalars and `|` blocks.
enum MiniYAML {
    indirect enum Node {
        case scalar(String)
        case list([Node])
        case map([String: Node])

        subscript(_ key: String) -> Node? { if case .map(let members) = self { members[key] } else { nil } }
        var text: String? { if case .scalar(let value) = self { value } else { nil } }
        var items: [Node] { if case .list(let items) = self { items } else { [] } }
        var keys: [String] { if case .map(let members) = self { Array(members.keys) } else { [] } }
    }

    static func parse(_ text: String) -> Node {
        var lines: [(indent: Int, text: String)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = raw.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            lines.append((raw.count - trimmed.count, String(trimmed)))
        }
        var index = 0
        return block(&lines, &index, indent: lines.first?.indent ?? 0)
    }

    private static func block(_ lines: inout [(indent: Int, text: String)], _ index: inout Int, indent: Int) -> Node {
        guard index < lines.count else { return .map([:]) }
        if lines[index].text.hasPrefix("- ") {
            var items: [Node] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("- ") {
                let rest = String(lines[index].text.dropFirst(2))
                if rest.contains(": ") || rest.hasSuffix(":") {
                    lines[index] = (indent + 2, rest)
                    items.append(block(&lines, &index, indent: indent + 2))
                } else {
                    items.append(scalar(rest))
                    index += 1
                }
            }
            return .list(items)
        }
        var members: [String: Node] = [:]
        while index < lines.count, lines[index].indent == indent {
            let line = lines[index].text
            let colon = line.range(of: ": ") ?? line.range(of: ":", options: .backwards)!
            let key = unquote(String(line[..<colon.lowerBound]))
            let value = String(line[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
            index += 1
            if value.isEmpty {
                members[key] = index < lines.count && lines[index].indent > indent
                    ? block(&lines, &index, indent: lines[index].indent) : .scalar("")
            } else if value == "|" {
                var text: [String] = []
                while index < lines.count, lines[index].indent > indent { text.append(lines[index].text); index += 1 }
                members[key] = .scalar(text.joined(separator: "\n"))
            } else {
                members[key] = scalar(value)
            }
        }
        return .map(members)
    }

    private static func scalar(_ text: String) -> Node {
        if text.hasPrefix("["), text.hasSuffix("]") {
            return .list(text.dropFirst().dropLast().split(separator: ",").map { .scalar(unquote($0.trimmingCharacters(in: .whitespaces))) })
        }
        return .scalar(unquote(text))
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}

/// Checks that a JSON value has what a schema requires: `required` members,
/// member schemas, array items, `$ref`s, `type` and `enum` (a light structural check).
struct SchemaChecker {
    let document: MiniYAML.Node

    func resolve(_ schema: MiniYAML.Node) -> MiniYAML.Node {
        guard let reference = schema["$ref"]?.text else { return schema }
        var node = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node[String(part)] ?? .map([:]) }
        return node
    }

    func problems(_ value: JSONValue, _ schema: MiniYAML.Node, at path: String = "$") -> [String] {
        let schema = resolve(schema)
        if let alternatives = (schema["oneOf"] ?? schema["anyOf"])?.items, !alternatives.isEmpty {
            let each = alternatives.map { problems(value, $0, at: path) }
            return each.contains(where: \.isEmpty) ? [] : ["\(path): matches no alternative: \(each.flatMap { $0 })"]
        }
        var found: [String] = []
        switch (schema["type"]?.text, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("integer", .integer), ("boolean", .bool), (nil, _): break
        case (let type?, _): return ["\(path): expected \(type), got \(value)"]
        }
        if let allowed = schema["enum"]?.items.compactMap(\.text), case .string(let text) = value, !allowed.contains(text) {
            found.append("\(path): \(text) is not one of \(allowed)")
        }
        if case .object(let members) = value {
            for name in schema["required"]?.items.compactMap(\.text) ?? [] where members[name] == nil {
                found.append("\(path): missing required \(name)")
            }
            for name in schema["properties"]?.keys ?? [] {
                if let member = members[name], let property = schema["properties"]?[name] {
                    found += problems(member, property, at: "\(path).\(name)")
                }
            }
        }
        if case .array(let elements) = value, let items = schema["items"] {
            for (index, element) in elements.enumerated() { found += problems(element, items, at: "\(path)[\(index)]") }
        }
        return found
    }

    /// The response schema for `method path status` with `type`.
    func responseSchema(_ path: String, _ method: String, _ status: Int, type: String = "application/json") -> MiniYAML.Node? {
        guard let response = document["paths"]?[path]?[method]?["responses"]?[String(status)] else { return nil }
        return resolve(response)["content"]?[type]?["schema"]
    }
}

@Suite struct OpenAPITests {
    @Test func runningServerAnswersAsTheOpenAPIDocumentSays() async throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = MiniYAML.parse(text)
        #expect(document["openapi"]?.text == "3.1.0")
        let checker = SchemaChecker(document: document)
        #expect(checker.resolve(.map(["$ref": .scalar("#/components/schemas/Lookup")]))["required"]?.items.count == 12)
        // The checker does catch a missing member and a wrong type.
        let lookupSchema = MiniYAML.Node.map(["$ref": .scalar("#/components/schemas/Lookup")])
        #expect(checker.problems(.object(["code": .integer(1)]), lookupSchema).count == 12)
        #expect(checker.responseSchema("/healthz", "get", 200) != nil)

        let fixture = try ServerFixture()
        let out = fixture.temporary.file("pins")
        let pins = try fixture.service.issuance.issuePins(batch: ServerFixture.batch, secret: fixture.secret, outputDirectory: out)
        let firstPin = try String(contentsOfFile: pins.file, encoding: .utf8).split(separator: "\n")[1].split(separator: ",").map(String.init)
        let server = try await fixture.server()
        let code = try UnitCode.parse(fixture.codes[0])
        let lookup = "/01/{gtin}/10/{lot}/21/{serial}"
        let target = ServerFixture.target(fixture.codes[0])
        try await server.application().test(.live) { client in
            func check(_ uri: String, method: HTTPRequest.Method = .get, body: String? = nil, accept: String = "application/json",
                       documented path: String, _ documentedMethod: String, status: Int, type: String = "application/json") async throws {
                let response = try await client.execute(uri: uri, method: method, headers: [.accept: accept, .contentType: "application/json"],
                                                        body: body.map { ByteBuffer(string: $0) })
                #expect(response.status.code == status, "\(uri): \(response.status)")
                let schema = try #require(checker.responseSchema(path, documentedMethod, status, type: type), "\(documentedMethod) \(path) \(status) undocumented")
                let json = try #require(response.json, "\(uri) did not answer JSON")
                let problems = checker.problems(json, schema)
                #expect(problems.isEmpty, "\(documentedMethod) \(path) \(status): \(problems)")
            }
            try await check(target, documented: lookup, "get", status: 200)
            try await check(target, accept: "application/linkset+json", documented: lookup, "get", status: 200, type: "application/linkset+json")
            try await check("/01/06901234567893/10/A/21/B?s=1", documented: lookup, "get", status: 400)
            try await check(target.replacingOccurrences(of: "/10/\(code.lot)/", with: "/10/OTHER/"), documented: lookup, "get", status: 404)
            let other = try UnitCode.parse(fixture.codes[1])
            try await check(target.replacingOccurrences(of: code.signatureParameterValue, with: other.signatureParameterValue),
                            documented: lookup, "get", status: 409)
            try await check(target + "&x=" + String(repeating: "9", count: 5000), documented: lookup, "get", status: 414)

            let pinPath = "/01/\(code.gtin)/10/\(code.lot)/21/\(firstPin[0])/verify-pin"
            let pinRoute = "/01/{gtin}/10/{lot}/21/{serial}/verify-pin"
            try await check(pinPath, method: .post, body: #"{"pin":"123"}"#, documented: pinRoute, "post", status: 400)
            try await check(pinPath, method: .post, body: #"{"pin":"\#(firstPin[1] == "00000000" ? "11111111" : "00000000")"}"#,
                            documented: pinRoute, "post", status: 403)
            try await check(pinPath, method: .post, body: #"{"pin":"\#(firstPin[1])"}"#, documented: pinRoute, "post", status: 200)

            let records = "/api/v1/records"
            let event = try fixture.signedEvent("storing", WriteTests.now(), #"{"location":"冷库"}"#)
            try await check(records, method: .post, body: event.text, documented: records, "post", status: 201)
            try await check(records, method: .post, body: event.text, documented: records, "post", status: 409)
            try await check(records, method: .post, body: "{", documented: records, "post", status: 400)
            try await check(records, method: .post, body: try Envelope.sign(payload: event.payload, with: fixture.stranger).text,
                            documented: records, "post", status: 401)
            try await check(records, method: .post, body: String(repeating: " ", count: 70_000), documented: records, "post", status: 413)

            let batch = "/01/\(code.gtin)/10/\(code.lot)", batchRoute = "/01/{gtin}/10/{lot}"
            try await check(batch, documented: batchRoute, "get", status: 200)
            try await check("/01/\(code.gtin)/10/\(code.lot)/21/\(code.serial)", documented: batchRoute, "get", status: 200)
            try await check(batch, accept: "application/linkset+json", documented: batchRoute, "get", status: 200, type: "application/linkset+json")
            try await check("/01/\(code.gtin)/10/NOPE", documented: batchRoute, "get", status: 404)
            try await check(batch + "/21/\(code.serial)/foo", documented: batchRoute, "get", status: 400)
            try await check(batch + "?linkType=gs1:nosuchlt", documented: batchRoute, "get", status: 404)
            try await check("/01/\(code.gtin)", documented: "/01/{gtin}", "get", status: 200)
            let epcis = "/api/v1/epcis/events"
            try await check("\(epcis)?batch=\(code.gtin)/\(code.lot)", documented: epcis, "get", status: 200, type: "application/ld+json")
            try await check("\(epcis)?batch=\(code.gtin)/NOPE", documented: epcis, "get", status: 404)
            try await check("\(epcis)?batch=06901234567893/A", documented: epcis, "get", status: 400)
            try await check(epcis, documented: epcis, "get", status: 400)
            try await check("/01/06901234567908", documented: "/01/{gtin}", "get", status: 404)
            try await check("/.well-known/gs1resolver", documented: "/.well-known/gs1resolver", "get", status: 200)
            try await check("/healthz", documented: "/healthz", "get", status: 200)
        }
        // Every path the router serves is documented.
        for path in ["/01/{gtin}/10/{lot}/21/{serial}", "/01/{gtin}/10/{lot}", "/01/{gtin}", "/01/{gtin}/10/{lot}/21/{serial}/verify-pin", "/api/v1/records",
                     "/.well-known/gs1resolver", "/healthz", "/metrics"] {
            #expect(document["paths"]?[path] != nil, "\(path) is not documented")
        }
    }
}
