import Foundation
import HTTPTypes
import Hummingbird
import YimaCodes
import YimaText

extension Request {
    /// The language of the answer: `?lang=`, else `Accept-Language`, else Chinese.
    var language: Language {
        Language.choose(lang: uri.queryParameters["lang"], acceptLanguage: headers[.acceptLanguage])
    }

    /// `SCHEME://HOST` as printed codes spell it (`HTTPRequest.root(scheme:)`).
    var root: String { head.root(scheme: "https") }
}

extension HTTPRequest {
    /// `SCHEME://HOST` as the client addressed us, the host in capitals as labels
    /// print it (the code's host is not signed). The scheme and host are the
    /// request's, or `X-Forwarded-Proto` and `X-Forwarded-Host` behind a trusted
    /// proxy (`--trust-forwarded-for`); plain `http` otherwise. Linkset anchors,
    /// links and the echoed code all start with it.
    func root(trustForwarded: Bool) -> String {
        var scheme = self.scheme?.lowercased() ?? "http"
        var host = authority
        if trustForwarded {
            if let forwarded = headerFields[.forwardedProto]?.split(separator: ",").first?
                .trimmingCharacters(in: .whitespaces).lowercased(), forwarded == "https" || forwarded == "http" {
                scheme = forwarded
            }
            if let forwarded = headerFields[.forwardedHost]?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces),
               !forwarded.isEmpty {
                host = forwarded
            }
        }
        return root(scheme: scheme == "https" ? "https" : "http", host: host)
    }

    /// `SCHEME://HOST` with the host as above.
    func root(scheme: String, host: String? = nil) -> String {
        let host = host ?? authority ?? "localhost"
        let allowed = host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
        return scheme + "://" + (allowed && !host.isEmpty && host.utf8.count <= 255 ? host.uppercased() : "LOCALHOST")
    }

    /// The client's address as scan counting and rate limits see it: the connection's
    /// peer, or the last `X-Forwarded-For` entry behind a trusted proxy.
    func clientAddress(peer: String?, trustForwarded: Bool) -> String {
        if trustForwarded, let forwarded = headerFields[.forwardedFor],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return peer ?? "unknown"
    }
}

extension HTTPField.Name {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!
    static let link = HTTPField.Name("Link")!
}
