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
    /// print it (the code's host is not signed). The scheme is the request's, or
    /// `X-Forwarded-Proto` behind a trusted proxy; plain `http` otherwise.
    func root(trustForwarded: Bool) -> String {
        var scheme = self.scheme?.lowercased() ?? "http"
        if trustForwarded, let forwarded = headerFields[.forwardedProto]?.lowercased(), forwarded == "https" || forwarded == "http" {
            scheme = forwarded
        }
        return root(scheme: scheme == "https" ? "https" : "http")
    }

    /// `SCHEME://HOST` with the host as above.
    func root(scheme: String) -> String {
        let host = authority ?? "localhost"
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
    static let link = HTTPField.Name("Link")!
}
