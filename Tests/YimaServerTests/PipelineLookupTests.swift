import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YimaCodes
import YimaRecords
@testable import YimaServer
import YimaService

/// `LookupChannelHandler` answers lookups on the live server without going through
/// the router: its answers must be the router's, byte for byte apart from scan counts
/// and the date, and whatever it does not answer must reach Hummingbird in order.
@Suite struct PipelineLookupTests {
    static let forwarded = HTTPField.Name("X-Forwarded-For")!

    @Test func pipelineAnswersEqualRouterAnswers() async throws {
        let fixture = try ServerFixture()
        let code = try UnitCode.parse(fixture.codes[0])
        let genuine = ServerFixture.target(fixture.codes[0])
        var altered = code.signature
        altered[9] ^= 0x10
        let forged = genuine.replacingOccurrences(
            of: code.signatureParameterValue,
            with: UnitCode(stem: code.stem, gtin: code.gtin, lot: code.lot, serial: code.serial, keyHint: code.keyHint,
                           signature: altered).signatureParameterValue)
        let requests: [(HTTPRequest.Method, String, HTTPFields)] = [
            (.get, genuine, [.accept: "application/json"]),
            (.get, genuine, [.accept: "text/html"]),
            (.get, genuine + "&lang=en", [:]),
            (.get, genuine, [.accept: "application/linkset+json"]),
            (.get, genuine + "&linkType=gs1:pip", [:]),
            (.head, genuine, [.accept: "text/html"]),
            (.get, forged + "&format=json", [:]),
            (.get, forged, [.accept: "text/html"]),
            (.get, genuine.replacingOccurrences(of: code.serial, with: "ZZZZ0000ZZZZ"), [.accept: "application/json"]),
            (.get, genuine.replacingOccurrences(of: "/10/", with: "/10/BAD%20LOT/"), [:]),
            (.get, "/01/06901234567892/10/\(code.lot)/21/\(code.serial)?s=12", [.accept: "application/json"]),
            // Not for the pipeline: these take the router's way, with the same answers.
            (.get, "/01/06901234567892/10/\(code.lot)/21/\(code.serial)/", [:]),
            (.get, "/01/06901234567892/10/\(code.lot)/21/\(code.serial)?s=" + String(repeating: "9", count: 5000), [:]),
        ]
        func answers(_ mode: TestingSetup, pipelined: Int) async throws -> [(HTTPResponse.Status, HTTPFields, String)] {
            // Both runs count scans of the same units: no copy warning, so the pages match.
            let server = try await fixture.server { $0.copyWarningClients = 1000 }
            defer { #expect(server.metrics.text.contains("yima_pipeline_lookups_total \(pipelined)\n")) }
            return try await server.application().test(mode) { client in
                var answers: [(HTTPResponse.Status, HTTPFields, String)] = []
                for (index, request) in requests.enumerated() {
                    var headers = request.2
                    headers[Self.forwarded] = "10.7.\(index).1"
                    let response = try await client.execute(uri: request.1, method: request.0, headers: headers)
                    answers.append((response.status, response.headers, response.text))
                }
                return answers
            }
        }
        let routed = try await answers(.router, pipelined: 0)
        // All but the last two and the one whose path is not the route's shape.
        let live = try await answers(.live, pipelined: requests.count - 3)
        // A path that is no Digital Link is 400; a trailing slash is tolerated: that unit
        // without `s=` is answered with its batch (issue 17).
        #expect(routed.map(\.0) == [.ok, .ok, .ok, .ok, .temporaryRedirect, .ok, .conflict, .conflict, .notFound, .badRequest,
                                    .badRequest, .ok, .uriTooLong])
        #expect(live.map(\.0) == routed.map(\.0))
        func scansOut(_ text: String) -> String {
            text.replacingOccurrences(of: #""scan":\{[^}]*\}"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"\d+ 次（\d+ 台"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"checked \d+ times from \d+"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"<time[^<]*</time>"#, with: "", options: .regularExpression)
        }
        for (index, (route, pipe)) in zip(routed, live).enumerated() {
            #expect(scansOut(route.2) == scansOut(pipe.2), "request \(index)")
            for name in [HTTPField.Name.contentType, .cacheControl, .vary, .location, HTTPField.Name("Link")!, .accessControlAllowOrigin] {
                #expect(route.1[name] == pipe.1[name], "request \(index): \(name)")
            }
            #expect(pipe.1[.date] != nil && pipe.1[.server] == "yima", "request \(index)")
            // HEAD: no body, and Content-Length as the router gives it.
            #expect(pipe.1[.contentLength] == String(pipe.2.utf8.count) || request(index).0 == .head, "request \(index)")
        }
        func request(_ index: Int) -> (HTTPRequest.Method, String, HTTPFields) { requests[index] }
    }

    /// HTTP/1.1 answers in order: a lookup pipelined behind a request that goes to
    /// Hummingbird waits for it; the metrics count both ways alike.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let lookup = ServerFixture.target(fixture.codes[1]) + "&format=json"
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let raw = [
                "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET \(lookup) HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /.well-known/gs1resolver HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET \(lookup) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc",
                "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            ].joined()
            let answer = try await Self.exchange(raw, port: port)
            let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(6)) }
            #expect(statuses == Array(repeating: "200 OK", count: 5))
            let order = ["\"pending_scans\"", "\"genuine\":true", "resolverRoot", "\"genuine\":true", "\"pending_scans\""]
            var position = answer.startIndex
            for marker in order {
                let found = try #require(answer.range(of: marker, range: position..<answer.endIndex), "\(marker) out of order")
                position = found.upperBound
            }
        }
        #expect(server.metrics.text.contains(#"yima_http_requests_total{route="/01/{gtin}/10/{lot}/21/{serial}",status="200"} 2"#))
    }

    /// Sends `request` on one connection and reads until the server closes it. The
    /// blocking socket calls run on threads of their own: on the test's executor they
    /// could starve the server's tasks of the few cooperative threads there are.
    static func exchange(_ request: String, port: Int, readAfter delay: Duration = .zero) async throws -> String {
        let socket = try RawConnection(port: port)
        let pause = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        return await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
            // Written on another thread, so that not reading for `delay` can back the server up.
            Thread { socket.send(Array(request.utf8)) }.start()
            Thread {
                Thread.sleep(forTimeInterval: pause)
                done.resume(returning: String(decoding: socket.receiveAll(), as: UTF8.self))
            }.start()
        }
    }
}

extension PipelineLookupTests {
    @Test func onlyPlainCodeLookupsAreAnsweredInThePipeline() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let target = ServerFixture.target(fixture.codes[0])
        func head(_ method: HTTPRequest.Method, _ path: String, _ fields: HTTPFields = [:]) -> HTTPRequest {
            HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: fields)
        }
        #expect(server.lookup.answersInPipeline(head(.get, target)))
        #expect(server.lookup.answersInPipeline(head(.head, target)))
        #expect(server.lookup.answersInPipeline(head(.get, target, [.connection: "keep-alive"])))
        #expect(server.lookup.answersInPipeline(head(.get, "/01/1/10/2/21/3")))
        for (method, path, fields) in [
            (HTTPRequest.Method.post, target, HTTPFields()),
            (.get, target, [.connection: "close"]),
            (.get, target, [.connection: "Upgrade"]),
            (.get, target, [.expect: "100-continue"]),
            (.get, "/01/1/10/2/21/3/", [:]),
            (.get, "/01/1/10/2/21/3/verify-pin", [:]),
            (.get, "/01/1/10/x/2/21/3", [:]),
            (.get, "/01/1/11/2/21/3", [:]),
            (.get, "/01//10/2/21/3", [:]),
            (.get, "/healthz", [:]),
            (.get, target + String(repeating: "9", count: 5000), [:]),
        ] as [(HTTPRequest.Method, String, HTTPFields)] {
            #expect(!server.lookup.answersInPipeline(head(method, path, fields)), "\(method) \(path.prefix(60)) \(fields)")
        }
    }
}

extension PipelineLookupTests {
    /// RFC 9110 §5.6.7's own example, and dates around leap days and the epoch,
    /// checked against `date -u` (GNU coreutils).
    @Test func httpDatesAreIMFFixdates() throws {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        for seconds: Int64 in [0, 951_782_400, 1_709_164_799, 1_795_000_000, 4_107_542_400] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["date", "-u", "-d", "@\(seconds)", "+%a, %d %b %Y %H:%M:%S GMT"]
            process.environment = ["LC_ALL": "C"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(HTTPDate.format(seconds) + "\n" == expected, "\(seconds)")
        }
    }
}

extension PipelineLookupTests {
    /// A client that pipelines many lookups without reading the answers does not make
    /// the server buffer them all: once the connection is unwritable, lookups take
    /// Hummingbird's way, which stops reading. Every answer still arrives, in order.
    @Test func aClientThatDoesNotReadIsNotBufferedWithoutBound() async throws {
        let fixture = try ServerFixture()
        let server = try await fixture.server()
        let lookup = ServerFixture.target(fixture.codes[2]) + "&format=json"
        let count = 2000
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let request = "GET \(lookup) HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let raw = String(repeating: request, count: count - 1) + "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            // Read only after two seconds, so the server's writes back up first.
            let answer = try await Self.exchange(raw, port: port, readAfter: .seconds(2))
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == count)
            #expect(answer.hasSuffix(#""status":"ok"}"#))
        }
        let pipelined = server.metrics.text.split(separator: "\n").first { $0.hasPrefix("yima_pipeline_lookups_total ") }
        let answeredInPipeline = try #require(pipelined.flatMap { Int($0.split(separator: " ")[1]) })
        #expect(answeredInPipeline > 0 && answeredInPipeline < count - 1, "\(answeredInPipeline) of \(count - 1) in the pipeline")
    }
}

/// A plain TCP connection to the test server on loopback (POSIX sockets, no child
/// process), for requests the test client would not send as they are.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    /// Everything until the server closes the connection (or 30 s of silence).
    func receiveAll() -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return received }
            received += chunk[..<count]
        }
    }
}
