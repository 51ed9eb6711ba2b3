import Hummingbird
import YimaCodes
import YimaRecords
import YimaText

/// GS1 Digital Link resolver behaviour (GS1 Digital Link: CodeResolver standard 1.1,
/// RFC 9264 linksets): the links a unit has, `?linkType=` selection, and the
/// resolver description at `/.well-known/gs1resolver`.
enum Linkset {
    static let vocabulary = "https://gs1.org/voc/"

    struct Link {
        let type: String
        let href: String
        let title: String
        let mediaType: String
        let language: String?
    }

    /// A page in Chinese and in English under `base` (a URL ending in `?` or `&`), titled
    /// `title` with the Chinese `name` or the English `english` for `{name}`.
    static func pages(_ type: String, base: String, title: ServerMessage, name: String = "", english: String = "",
                      fragment: String = "") -> [Link] {
        [Link(type: type, href: "\(base)format=html&lang=zh\(fragment)", title: title.text(in: .chinese, ["name": name]),
              mediaType: "text/html", language: "zh"),
         Link(type: type, href: "\(base)format=html&lang=en\(fragment)", title: title.text(in: .english, ["name": english]),
              mediaType: "text/html", language: "en")]
    }

    /// Every link of a unit, then (walk-up) its batch's and its product's. The unit's
    /// page and JSON links carry the code's `s`, so that following them re-checks the signature.
    static func links(view: BatchView, code: UnitCode, anchor: String, root: String) -> [Link] {
        let base = "\(anchor)?\(code.signatureParameterMember)&"
        let name = view.productName
        let english = view.productNameEnglish ?? view.productName
        var links = pages("pip", base: base, title: .linkUnitPage, name: name, english: english) + [
            Link(type: "traceability", href: "\(base)format=json", title: "Signed traceability chain (JSON)",
                 mediaType: "application/json", language: nil),
            Link(type: "recallStatus", href: "\(base)format=json", title: "Recall status (member \"recalled\")",
                 mediaType: "application/json", language: nil),
        ]
        if view.hasCertificates {
            links += pages("certificationInfo", base: base, title: .linkCertificates, fragment: "#certificates")
        }
        let batch = "\(root)/01/\(code.gtin)/10/\(code.lot)"
        return links + pages("pip", base: batch + "?", title: .linkBatchPage, name: name, english: english)
            + productLinks(name: name, english: english, anchor: "\(root)/01/\(code.gtin)", certificates: false)
    }

    /// A batch's links (its page, its signed chain as JSON, its recall status), then its product's.
    static func batchLinks(view: BatchView, anchor: String, productAnchor: String) -> [Link] {
        let name = view.productName
        let english = view.productNameEnglish ?? view.productName
        var links = pages("pip", base: anchor + "?", title: .linkBatchPage, name: name, english: english) + [
            Link(type: "traceability", href: "\(anchor)?format=json", title: "Signed traceability chain of the batch (JSON)",
                 mediaType: "application/json", language: nil),
            Link(type: "recallStatus", href: "\(anchor)?format=json", title: "Recall status (member \"recalled\")",
                 mediaType: "application/json", language: nil),
        ]
        if view.hasCertificates {
            links += pages("certificationInfo", base: anchor + "?", title: .linkCertificates, fragment: "#certificates")
        }
        return links + productLinks(name: name, english: english, anchor: productAnchor, certificates: false)
    }

    /// A product's links: its page (with its batches), and its certificates.
    static func productLinks(name: String, english: String, anchor: String, certificates: Bool) -> [Link] {
        var links = pages("pip", base: anchor + "?", title: .linkProductPage, name: name, english: english)
        if certificates {
            links += pages("certificationInfo", base: anchor + "?", title: .linkCertificates, fragment: "#certificates")
        }
        return links
    }

    /// The link type named by `linkType` (`gs1:pip`, `pip` or the full URI), nil if
    /// not a GS1 vocabulary term.
    static func normalise(_ linkType: String) -> String? {
        for prefix in ["gs1:", vocabulary, "http://gs1.org/voc/"] where linkType.hasPrefix(prefix) {
            return String(linkType.dropFirst(prefix.count))
        }
        return linkType.contains(":") || linkType.contains("/") ? nil : linkType
    }

    /// What a request for `links` gets (docs/api.md §Linkset): the linkset, whole or
    /// for the one link type asked for; or a 307 to the link of that type in the
    /// request's language, keeping every other query pair; 404 when the item has no
    /// link of that type. `linkset` is the URL of the whole linkset, for the `Link` header.
    static func respond(_ links: [Link], anchor: String, description: String, linkType: String?, asLinkset: Bool,
                        language: Language, query: LookupQuery, linkset: String) -> Reply {
        // `all` and `linkset` ask for the linkset; a type outside the GS1 vocabulary is unknown.
        var wanted = linkType.map { normalise($0) ?? "" }
        if linkType == "all" || wanted == "linkset" { wanted = nil }
        let selected: [Link]
        if let wanted {
            selected = wanted == "defaultLink" ? [links[0]] : links.filter { $0.type == wanted }
            guard !selected.isEmpty else {
                var reply = APIError(.notFound, "unknown-link-type", .unknownLinkType, ["type": linkType ?? ""],
                                     details: ["link_type": .string(linkType ?? "")]).reply(in: language)
                reply.headers[.link] = linksetHeader(linkset)
                return reply
            }
        } else {
            selected = links
        }
        if !(asLinkset || wanted == nil) {
            let tag = language == .chinese ? "zh" : "en"
            let target = selected.first { $0.language == tag } ?? selected[0]
            let fragment = target.href.firstIndex(of: "#")
            let href = fragment.map { String(target.href[..<$0]) } ?? target.href
            let location = href + query.passedOn(to: href) + (fragment.map { String(target.href[$0...]) } ?? "")
            return Reply(status: .temporaryRedirect,
                         headers: [.location: location, .cacheControl: "no-store", .link: linksetHeader(linkset)], body: ByteBuffer())
        }
        var set: [String: JSONValue] = [
            "anchor": .string(anchor),
            "itemDescription": .string(description),
            vocabulary + "defaultLink": .array([json(links[0])]),
        ]
        for link in selected where link.type != "defaultLink" {
            let key = vocabulary + link.type
            var list: [JSONValue] = if case .array(let existing)? = set[key] { existing } else { [] }
            list.append(json(link))
            set[key] = .array(list)
        }
        return JSONResponse.reply(.ok, CanonicalJSON.encode(.object(["linkset": .array([.object(set)])])),
                                  type: Representation.linkset.mediaType,
                                  headers: [.cacheControl: "no-store", .link: linksetHeader(linkset)])
    }

    /// `<URL>; rel="linkset"; type="application/linkset+json"` (RFC 9264 §6).
    static func linksetHeader(_ url: String) -> String {
        "<\(url)>; rel=\"linkset\"; type=\"application/linkset+json\""
    }

    static func json(_ link: Link) -> JSONValue {
        var object: [String: JSONValue] = ["href": .string(link.href), "title": .string(link.title), "type": .string(link.mediaType)]
        if let language = link.language { object["hreflang"] = .array([.string(language)]) }
        return .object(object)
    }

    static func resolverDescription(root: String) -> JSONValue {
        func type(_ name: String, _ title: String, _ description: String) -> (String, JSONValue) {
            ("gs1:\(name)", .object(["title": .string(title), "description": .string(description), "url": .string(vocabulary + name)]))
        }
        let english = [
            type("pip", "Product Information Page", "The traceability page of the unit, its batch or its product (Chinese or English)."),
            type("traceability", "Traceability information", "The signed chain of records of the unit or batch as JSON."),
            type("recallStatus", "Recall status", "Whether the unit or its batch has been recalled (JSON member \"recalled\")."),
            type("certificationInfo", "Certification Information", "The product's 三品一标 certificates."),
        ]
        let chinese = [
            type("pip", "商品信息页", "单品、批次或商品的追溯页面（中文或英文）"),
            type("traceability", "追溯信息", "单品或批次的全部签名记录（JSON）"),
            type("recallStatus", "召回状态", "单品或其批次是否已被召回（JSON 字段 recalled）"),
            type("certificationInfo", "认证信息", "三品一标认证"),
        ]
        return .object([
            "name": .string("Yima 一码 lookup server"),
            "resolverRoot": .string(root),
            "supportedLinkType": .array([.object(["namespace": .string(vocabulary), "prefix": .string("gs1:")])]),
            "supportedPrimaryKeys": .array([.string("01")]),
            "linkTypeDefaultCanBeAll": .bool(false),
            "supportsLanguageVariants": .bool(true),
            "supportsSemanticInterpretation": .bool(false),
            "validatesAIcombinations": .bool(true),
            "activeLinkTypes": .object([
                "en": .object(Dictionary(uniqueKeysWithValues: english)),
                "zh": .object(Dictionary(uniqueKeysWithValues: chinese)),
            ]),
        ])
    }
}

