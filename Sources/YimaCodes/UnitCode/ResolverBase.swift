/// Where an issuer's codes resolve: scheme, host (and port) and an optional path
/// prefix, e.g. `https://YIMA.EXAMPLE.COM` or `http://127.0.0.1:8080`.
///
/// The host is printed in upper case: DNS names are case-insensitive (RFC 4343), and
/// upper case keeps the host inside the QR alphanumeric set (ISO/IEC 18004 §7.4.4),
/// which costs 5.5 bits a character instead of 8. The scheme stays lower case because
/// some scanner apps recognise only `https://`. The path prefix is printed as given;
/// write it in upper case for the smallest label.
public struct ResolverBase: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    public let authority: String
    public let pathPrefix: String

    public init(_ text: String) throws(UnitCodeError) {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" }
        else if lower.hasPrefix("http://") { scheme = "http" }
        else { throw .invalidBaseURL("\"\(text)\" must start with https:// (or http:// for a local test)") }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let prefix = rest[slash...]
        let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard !authority.isEmpty, authority.allSatisfy(hostCharacters.contains) else {
            throw .invalidBaseURL("\"\(authority)\" is not a host name")
        }
        let pathCharacters = hostCharacters.union("/_~").subtracting(":[]")
        guard prefix.allSatisfy(pathCharacters.contains), !prefix.contains("//") else {
            throw .invalidBaseURL("path prefix \"\(prefix)\" may use only letters, digits, '-', '.', '_', '~' and '/'")
        }
        self.scheme = scheme
        self.authority = authority.uppercased()
        self.pathPrefix = String(prefix)
    }

    /// The base as printed on labels, without a trailing slash.
    public var description: String { "\(scheme)://\(authority)\(pathPrefix)" }
}
