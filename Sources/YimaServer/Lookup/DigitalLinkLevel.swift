import YimaCodes

/// Which level of the GS1 Digital Link hierarchy a request names (walk-up: unit →
/// batch → product): any valid Digital Link URI with primary key 01 under this
/// server's root, with any extra query parameters. A unit without its signature is
/// answered at its batch's level, and qualifiers this server has no level for
/// (`22`, or `21` without `10`) at the product's.
enum DigitalLinkLevel: Equatable {
    case product(gtin: String)
    /// A batch; `serial` when the request named a unit (without a signature to judge).
    case batch(gtin: String, lot: String, serial: String?)

    /// Parses `path` (one trailing `/` tolerated) as the path of a Digital Link URI
    /// under `root`; a 400 `malformed-link` with the first problem otherwise.
    init(path: Substring, root: String) throws(APIError) {
        var path = path
        if path.utf8.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        let uri: DigitalLinkURI
        do { uri = try DigitalLinkURI.parse(root + path) } catch { throw Self.malformed(error.description) }
        guard uri.stem.lowercased() == root.lowercased() else {
            throw Self.malformed("the path has segments before its primary key")
        }
        guard uri.primaryKey.ai == "01" else { throw Self.malformed("primary key \(uri.primaryKey.ai) is not served here (only 01, GTIN)") }
        let gtin = uri.primaryKey.value
        if let lot = uri["10"] {
            self = .batch(gtin: gtin, lot: lot, serial: uri["21"])
        } else {
            self = .product(gtin: gtin)
        }
    }

    static func malformed(_ reason: String) -> APIError {
        APIError(.badRequest, "malformed-link", .malformedLink, ["reason": reason],
                 details: ["reason": .string(reason)])
    }
}
