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

    /// Every link of a unit. The page and JSON links carry the code's `s`, so that
    /// following them re-checks the signature.
    static func links(view: BatchView, code: UnitCode, anchor: String) -> [Link] {
        let base = "\(anchor)?\(code.signatureParameterMember)"
        let name = view.productName
        let english = view.productNameEnglish ?? view.productName
        var links = [
            Link(type: "pip", href: "\(base)&format=html&lang=zh", title: "\(name) 追溯信息", mediaType: "text/html", language: "zh"),
            Link(type: "pip", href: "\(base)&format=html&lang=en", title: "\(english) traceability", mediaType: "text/html", language: "en"),
            Link(type: "traceability", href: "\(base)&format=json", title: "Signed traceability chain (JSON)",
                 mediaType: "application/json", language: nil),
            Link(type: "recallStatus", href: "\(base)&format=json", title: "Recall status (member \"recalled\")",
                 mediaType: "application/json", language: nil),
        ]
        if view.hasCertificates {
            links.append(Link(type: "certificationInfo", href: "\(base)&format=html&lang=zh#certificates", title: "三品一标认证",
                              mediaType: "text/html", language: "zh"))
        }
        return links
    }

    /// The link type named by `linkType` (`gs1:pip`, `pip` or the full URI), nil if unknown.
    static func normalise(_ linkType: String) -> String? {
        for prefix in ["gs1:", vocabulary, "http://gs1.org/voc/"] where linkType.hasPrefix(prefix) {
            return String(linkType.dropFirst(prefix.count))
        }
        return linkType.contains(":") || linkType.contains("/") ? nil : linkType
    }

    /// A linkset, whole or for one link type, or a 307 redirect to the selected
    /// link (the default link when the type is absent), as a GS1 resolver does.
    static func respond(view: BatchView, code: UnitCode, anchor: String, linkType: String?, asLinkset: Bool) -> Reply {
        let all = links(view: view, code: code, anchor: anchor)
        let wanted = linkType.flatMap { $0 == "all" ? nil : normalise($0) }
        let selected = wanted.map { type in all.filter { $0.type == type } } ?? all
        if !asLinkset {
            let target = selected.first ?? all[0]
            return Reply(status: .temporaryRedirect, headers: [.location: target.href, .cacheControl: "no-store"], body: ByteBuffer())
        }
        var set: [String: JSONValue] = [
            "anchor": .string(anchor),
            "itemDescription": .string(view.productName),
            vocabulary + "defaultLink": .array([json(all[0])]),
        ]
        for link in (selected.isEmpty ? all : selected) {
            let key = vocabulary + link.type
            var list: [JSONValue] = if case .array(let existing)? = set[key] { existing } else { [] }
            list.append(json(link))
            set[key] = .array(list)
        }
        return JSONResponse.reply(.ok, CanonicalJSON.encode(.object(["linkset": .array([.object(set)])])),
                                  type: Representation.linkset.mediaType, headers: [.cacheControl: "no-store"])
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
            type("pip", "Product Information Page", "The consumer traceability page of the unit (Chinese or English)."),
            type("traceability", "Traceability information", "The unit's signed chain of records as JSON."),
            type("recallStatus", "Recall status", "Whether the unit's batch has been recalled (JSON member \"recalled\")."),
            type("certificationInfo", "Certification Information", "The product's 三品一标 certificates."),
        ]
        let chinese = [
            type("pip", "商品信息页", "单品追溯页面（中文或英文）"),
            type("traceability", "追溯信息", "单品全部签名记录（JSON）"),
            type("recallStatus", "召回状态", "批次是否已被召回（JSON 字段 recalled）"),
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

