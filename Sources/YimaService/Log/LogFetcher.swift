import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads a log's and a lookup server's resources by path: what an auditor or an
/// online verifier needs from the network.
public protocol LogFetcher: Sendable {
    /// The body of `path` (relative to the server's root, or an absolute URL);
    /// throws unless the answer is 200.
    func get(_ path: String, accept: String?) throws(ServiceError) -> [UInt8]
}

/// A `LogFetcher` over HTTP(S) (Foundation's URLSession; one request at a time).
public struct HTTPFetcher: LogFetcher {
    /// `https://host[:port]`, no trailing slash.
    public let base: String
    public var timeout: TimeInterval = 30

    public init(base: String) throws(ServiceError) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw .invalidArgument(.notServerAddress, ["address": base])
        }
        self.base = base
    }

    public func get(_ path: String, accept: String?) throws(ServiceError) -> [UInt8] {
        let address = path.contains("://") ? path : base + "/" + path
        guard let url = URL(string: address) else {
            throw .invalidArgument(.notURL, ["address": address])
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let result = Response()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = result.get()
        if let error {
            throw .input(.getFailed, ["address": address, "reason": error.localizedDescription])
        }
        guard status == 200, let data else {
            let body = String(decoding: (data ?? Data()).prefix(200), as: UTF8.self)
            throw .input(.getStatus, ["address": address, "status": status ?? 0, "body": body])
        }
        return Array(data)
    }

    private final class Response: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (Data?, Int?, (any Error)?) = (nil, nil, nil)
        func set(data: Data?, status: Int?, error: (any Error)?) { lock.withLock { value = (data, status, error) } }
        func get() -> (Data?, Int?, (any Error)?) { lock.withLock { value } }
    }
}
