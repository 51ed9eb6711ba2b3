import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange over a plain loopback socket: the raw request bytes as a
/// client sent them, and the status codes of every response the server wrote back.
enum HTTPExchange {
    struct Answer {
        let bytes: [UInt8]
        /// The status of each response, in order (several for pipelined requests).
        var statuses: [Int] {
            var statuses: [Int] = []
            let marker = Array("HTTP/1.1 ".utf8)
            var index = 0
            while index + marker.count + 3 <= bytes.count {
                if (index == 0 || (bytes[index - 1] == 0x0A)) && bytes[index..<index + marker.count].elementsEqual(marker) {
                    let digits = bytes[(index + marker.count)..<(index + marker.count + 3)]
                    if let status = Int(String(decoding: digits, as: UTF8.self)) { statuses.append(status) }
                }
                index += 1
            }
            return statuses
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func send(_ request: [UInt8], port: Int, timeout: Int) throws(Failure) -> Answer {
        let socket = try connect(port: port)
        defer { close(socket) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }  // the server may close early (a bad request line): read what it said
            sent += count
        }
        shutdown(socket, Int32(SHUT_WR))
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 { answer += buffer[0..<count]; continue }
            if count == 0 || errno == ECONNRESET { break }
            if errno == EINTR { continue }
            throw Failure(description: "no end of the answer within \(timeout) s (errno \(errno)) after \(answer.count) bytes")
        }
        return Answer(bytes: answer)
    }

    static func accepts(port: Int) -> Bool {
        guard let socket = try? connect(port: port) else { return false }
        close(socket)
        return true
    }

    /// A loopback port free at the time of asking.
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func connect(port: Int) throws(Failure) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(socket)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port): errno \(code)")
        }
        return socket
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
