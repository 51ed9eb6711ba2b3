import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import YimaService

/// Upload batches over HTTP with URLSession (docs/upload.md): one POST per attempt,
/// no caching, no cookies, a time limit per request.
public struct HTTPUploadTransport: UploadTransport {
    let session: URLSession
    let timeout: TimeInterval

    public init(timeoutSeconds: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
        timeout = timeoutSeconds
    }

    public func post(_ body: [UInt8], to url: String, headers: [(name: String, value: String)]) async throws -> UploadAnswer {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw UploadAddressError(url: url)
        }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        request.httpBody = Data(body)
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw UploadNetworkError(reason: Self.describe(error, timeout: timeout))
        }
        guard let http = response as? HTTPURLResponse else { throw UploadNetworkError(reason: "no HTTP answer") }
        return UploadAnswer(status: http.statusCode, body: Array(data))
    }

    /// A network failure in a few words, for `--status` and the error message.
    static func describe(_ error: URLError, timeout: TimeInterval) -> String {
        switch error.code {
        case .timedOut: "no answer within \(Int(timeout)) s"
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost before the answer"
        case .badServerResponse: "the connection closed without an HTTP answer"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .notConnectedToInternet: "no network"
        default: "network error \(error.code.rawValue)"
        }
    }
}

/// The request did not get a complete answer.
struct UploadNetworkError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// The receiver's address is not an http(s) URL.
struct UploadAddressError: Error, CustomStringConvertible {
    let url: String
    var description: String { "not an http(s) URL: \(url)" }
}
