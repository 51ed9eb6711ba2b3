import Foundation
import Hummingbird
import YimaCodes
import YimaText

/// What a lookup answers with, chosen from `?format=` or the Accept header.
enum Representation: String, Sendable {
    case html, json, linkset

    var mediaType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .linkset: "application/linkset+json"
        }
    }

    /// `format` wins; otherwise the Accept media range with the highest q among
    /// text/html, application/json and application/linkset+json (exact types beat
    /// wildcards; ties go to the page). No Accept, or `*/*`, gives the page.
    static func choose(format: Substring?, accept: String?) -> Representation {
        switch format?.lowercased() {
        case "json": return .json
        case "html": return .html
        case "linkset": return .linkset
        default: break
        }
        guard let accept, !accept.isEmpty else { return .html }
        // What API clients send, answered without splitting the header.
        switch accept {
        case "application/json": return .json
        case "text/html": return .html
        case "application/linkset+json": return .linkset
        default: break
        }
        var best: (Representation, Double, Int) = (.html, -1, 0)
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            guard q > 0 else { continue }
            let matches: [(Representation, Int)] = switch type {
            case "text/html", "application/xhtml+xml": [(.html, 2)]
            case "application/json": [(.json, 2)]
            case "application/linkset+json": [(.linkset, 2)]
            case "text/*": [(.html, 1)]
            case "application/*": [(.json, 1)]
            case "*/*": [(.html, 0)]
            default: []
            }
            for (representation, specificity) in matches where q > best.1 || (q == best.1 && specificity > best.2) {
                best = (representation, q, specificity)
            }
        }
        return best.1 < 0 ? .html : best.0
    }
}

extension Language {
    /// `?lang=` wins; else the Accept-Language tag with the highest q; Chinese by default.
    static func choose(lang: Substring?, acceptLanguage: String?) -> Language {
        if let lang { return Language(tag: String(lang)) }
        guard let acceptLanguage else { return .chinese }
        var best: (String, Double) = ("zh", -1)
        for range in acceptLanguage.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") { q = Double(parameter.dropFirst(2)) ?? 0 }
            if q > best.1 { best = (tag, q) }
        }
        return Language(tag: best.0)
    }
}

/// The query of a lookup URL split into the server's own parameters, the code's
/// `s` (kept verbatim and in order) and every other pair. A Digital Link may carry
/// any extra parameters: they are not part of the signed code (docs/code-format.md
/// §Grammar), so they are left out of `codeQuery` and passed on by redirects.
struct LookupQuery {
    var format: Substring?
    var lang: Substring?
    var linkType: Substring?
    /// The `s` pairs, as scanned (more than one makes the code malformed).
    var codeQuery: Substring = ""
    /// Every pair that is neither the server's nor `s`, in order, as received.
    var otherPairs: [Substring] = []

    static let serverParameters: Set<Substring> = ["format", "lang", "linkType", "context"]

    init(_ query: Substring?) {
        guard let query, !query.isEmpty else { return }
        // A scanned code's query is just `s=…`: no split, no copy.
        if !query.utf8.contains(UInt8(ascii: "&")) {
            if !Self.take(query, into: &self) {
                if query.hasPrefix("s=") { codeQuery = query } else { otherPairs = [query] }
            }
            return
        }
        var signatures: [Substring] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) where !Self.take(item, into: &self) {
            if item.hasPrefix("s=") || item == "s" { signatures.append(item) } else { otherPairs.append(item) }
        }
        codeQuery = signatures.count == 1 ? signatures[0] : Substring(signatures.joined(separator: "&"))
    }

    /// Whether the request carries a signature to judge (`s=`).
    var hasSignature: Bool { !codeQuery.isEmpty }

    /// `&`-prefixed pairs to add to a redirect's target, which already has its own
    /// `s`, `format` and (for pages) `lang`: every other pair of the request but
    /// `linkType` (GS1 resolver: "SHALL pass on all key=value pairs").
    func passedOn(to target: String) -> String {
        var pairs = otherPairs.map(String.init)
        if let lang, !target.contains("lang=") { pairs.insert("lang=" + lang, at: 0) }
        return pairs.isEmpty ? "" : "&" + pairs.joined(separator: "&")
    }

    /// Records `item` if it is a server parameter; false if it belongs to the code.
    private static func take(_ item: Substring, into query: inout LookupQuery) -> Bool {
        let equals = item.utf8.firstIndex(of: UInt8(ascii: "=")) ?? item.endIndex
        let value = equals == item.endIndex ? nil : item[item.index(after: equals)...]
        switch item[..<equals] {
        case "format": query.format = value
        case "lang": query.lang = value
        case "linkType": query.linkType = value.map { Substring(String($0).removingPercentEncoding ?? String($0)) }
        case "context": break
        default: return false
        }
        return true
    }
}
