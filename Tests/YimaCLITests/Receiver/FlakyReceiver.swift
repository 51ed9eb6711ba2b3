import Foundation
import Synchronization
import YimaTestSupport

/// A provincial platform for the upload tests (docs/upload.md §Receiver protocol): a
/// real HTTP/1.1 server on a loopback socket, one thread per connection, that keeps
/// batches by their `Idempotency-Key` and, as configured, fails at random: 500s,
/// answers too slow for the client's time limit, connections dropped before or after
/// the batch was kept, and answers that are not JSON.
final class FlakyReceiver: @unchecked Sendable {
    enum Fault: CaseIterable, Sendable {
        /// 500 with a JSON error, the batch not kept.
        case serverError
        /// No answer until the client gave up (the batch not kept).
        case slow
        /// The connection closed before anything was kept.
        case dropBefore
        /// The batch kept, then the connection closed without an answer: the client
        /// must send it again under the same key and be told `duplicate`.
        case dropAfterKeeping
        /// 200 with a body that is not JSON (the batch not kept).
        case garbage
    }

    struct State {
        /// Log positions as they were kept, batch after batch.
        var received: [Int64] = []
        var keys: Set<String> = []
        /// The request bodies of the batches kept, in order.
        var bodies: [Data] = []
        var requests = 0
        var duplicates = 0
        var faults: [Fault] = []
        var generator: SplitMix64
        /// Problems the receiver saw in a request (a key that does not match the body, …).
        var complaints: [String] = []
    }

    let port: Int
    private let listener: Int32
    private let faultRate: Double
    private let faultsAllowed: [Fault]
    private let slowSeconds: Double
    let state: Mutex<State>
    /// Called with the number of batches kept so far, after a batch is kept and
    /// before it is answered (the SIGKILL test kills the uploader there).
    let afterKeeping: Mutex<(@Sendable (Int) -> Void)?> = Mutex(nil)

    init(faultRate: Double, faults: [Fault] = Fault.allCases, seed: UInt64 = 1, slowSeconds: Double = 2) throws {
        self.faultRate = faultRate
        faultsAllowed = faults
        self.slowSeconds = slowSeconds
        state = Mutex(State(generator: SplitMix64(seed: seed)))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ReceiverError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw ReceiverError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)/upload" }

    /// Closes the listener once: `stop()` and `deinit` both call it, and a second
    /// close(2) would close whatever descriptor the process reused that number for
    /// (a test's pipe to a child process, which then dies with EBADF).
    func stop() {
        let open = listening.withLock { open in
            defer { open = false }
            return open
        }
        guard open else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
    private let listening = Mutex(true)

    deinit { stop() }

    // MARK: Serving

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in
                serve(connection)
                close(connection)
            }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        guard let request = HTTPRequestReader.read(connection) else { return }
        let fault: Fault? = state.withLock { state in
            state.requests += 1
            guard Double.random(in: 0..<1, using: &state.generator) < faultRate else { return nil }
            let fault = faultsAllowed.randomElement(using: &state.generator)!
            state.faults.append(fault)
            return fault
        }
        switch fault {
        case .serverError: respond(connection, 500, #"{"status":"retry","error":"database busy"}"#)
        case .slow: Thread.sleep(forTimeInterval: slowSeconds)
        case .dropBefore: return
        case .garbage: respond(connection, 200, "<html><body>502 Bad Gateway</body></html>", type: "text/html")
        case .dropAfterKeeping:
            _ = keep(request)
        case nil:
            let (status, body) = keep(request)
            respond(connection, status, body)
        }
    }

    /// Keeps the batch unless its key was kept already; the answer to send.
    private func keep(_ request: HTTPRequestReader.Request) -> (Int, String) {
        guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
              let batch = object["batch"] as? [String: Any], let key = batch["key"] as? String,
              let records = batch["records"] as? [[String: Any]] else {
            state.withLock { $0.complaints.append("a body without batch.key and batch.records") }
            return (400, #"{"status":"rejected","error":"no batch"}"#)
        }
        guard request.headers["idempotency-key"] == key else {
            state.withLock { $0.complaints.append("Idempotency-Key \(request.headers["idempotency-key"] ?? "-") for batch \(key)") }
            return (400, #"{"status":"rejected","error":"Idempotency-Key does not match batch.key"}"#)
        }
        let kept: Int? = state.withLock { state in
            if state.keys.contains(key) {
                state.duplicates += 1
                return nil
            }
            state.keys.insert(key)
            state.bodies.append(request.body)
            state.received += records.compactMap { ($0["sequence"] as? NSNumber)?.int64Value }
            return state.keys.count
        }
        guard let kept else { return (200, #"{"status":"duplicate"}"#) }
        if let hook = afterKeeping.withLock({ $0 }) { hook(kept) }
        return (200, #"{"status":"accepted"}"#)
    }

    private func respond(_ connection: Int32, _ status: Int, _ body: String, type: String = "application/json") {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        let all = Array(head.utf8) + bytes
        var offset = 0
        while offset < all.count {
            let n = all.withUnsafeBytes { send(connection, $0.baseAddress! + offset, all.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}

struct ReceiverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads one HTTP/1.1 request with a Content-Length body from a socket.
enum HTTPRequestReader {
    struct Request {
        var headers: [String: String]
        var body: Data
    }

    static func read(_ connection: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = recv(connection, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            buffer += chunk[0..<n]
            headerEnd = find([13, 10, 13, 10], in: buffer)
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        if headers["expect"]?.lowercased() == "100-continue" {
            let go = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            _ = go.withUnsafeBytes { send(connection, $0.baseAddress!, go.count, Int32(MSG_NOSIGNAL)) }
        }
        var body = Array(buffer[(headerEnd! + 4)...])
        while body.count < length {
            let n = recv(connection, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            body += chunk[0..<n]
        }
        return Request(headers: headers, body: Data(body.prefix(length)))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }
}
