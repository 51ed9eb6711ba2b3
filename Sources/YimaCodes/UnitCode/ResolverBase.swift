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
        // The same host, port and prefix rules as parsing (docs/code-format.md §Grammar),
        // so that every code an issuer prints parses back.
        let portColon = authority.firstIndex(of: ":")
        let host = authority[..<(portColon ?? authority.endIndex)]
        guard !host.isEmpty, host.utf8.count <= UnitCode.maximumHostLength, host.utf8.allSatisfy(UnitCode.isHostByte) else {
            throw .invalidBaseURL("\"\(authority)\" is not a host name (letters, digits, '-' and '.', optionally \":\" and a port)")
        }
        if let portColon {
            let port = authority[authority.index(after: portColon)...]
            guard (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidBaseURL("port \"\(port)\" is not 1 to 5 digits")
            }
        }
        for segment in prefix.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard !segment.isEmpty, segment != ".", segment != "..", segment != "01",
                  segment.utf8.allSatisfy(UnitCode.isPrefixByte) else {
                throw .invalidBaseURL("path prefix \"\(prefix)\" may use only letters, digits, '-', '.', '_', '~' and single '/', and no segment \".\", \"..\" or \"01\"")
            }
        }
        self.scheme = scheme
        self.authority = authority.uppercased()
        self.pathPrefix = String(prefix)
    }

    /// The base as printed on labels, without a trailing slash.
    public var description: String { "\(scheme)://\(authority)\(pathPrefix)" }
}
