import Foundation
import HTTPTypes
import NIOCore
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// The consumer page of a lookup: a batch's page per variant with per-unit slots,
/// and the page for a code that is not genuine.
extension Lookup {
    // MARK: HTML

    /// The page of a genuine unit: the batch's page for this language, warning and
    /// issuer (rendered once per chain head) with the unit's values in its slots.
    func page(_ answer: UnitAnswer, view: BatchView, linkTarget: String, language: Language) -> ByteBuffer {
        let variant = PageVariant(language: language, warning: answer.copyWarning, keyID: answer.issuer?.keyID,
                                  party: answer.issuer?.party, recall: answer.recallID)
        let template = view.pages.template(variant) {
            PageTemplate(rendered: pageWithMarkers(variant, view: view, recall: answer.recall))
        }
        return template.render { slot in
            switch slot {
            case .count: String(answer.scan.count)
            case .clients: String(answer.scan.distinctClients)
            case .firstScan: answer.scan.firstScan.map { DisplayTime.format($0, in: configuration.displayTimeZone) } ?? ""
            case .target: linkTarget
            }
        }
    }

    /// The page rendered with `PageTemplate.Slot` markers in place of per-unit values.
    func pageWithMarkers(_ variant: PageVariant, view: BatchView, recall: JSONValue?) -> String {
        let zh = variant.language == .chinese
        let name = zh ? view.productName : (view.productNameEnglish ?? view.productName)
        let count = PageTemplate.Slot.count.marker, clients = PageTemplate.Slot.clients.marker
        let target = PageTemplate.Slot.target.marker
        var model: [String: Any] = [
            "title": zh ? "\(name) · 追溯查询" : "\(name) · traceability",
            "heading": name,
            "details": view.detailsHTML[variant.language] ?? "",
            "langLink": target + (zh ? "lang=en" : "lang=zh"),
            "jsonLink": target + "format=json",
        ]
        if let keyID = variant.keyID, let party = variant.party {
            model["genuine"] = true
            model["issuer"] = view.partyNames[party] ?? party
            model["keyID"] = keyID
        }
        if case .object(let fields)? = recall {
            var shown: [String: Any] = [:]
            for (key, value) in fields { if case .string(let text) = value { shown[key] = text } }
            model["recall"] = shown
        }
        model["scan"] = [
            "warning": variant.warning,
            "first": PageTemplate.Slot.firstScan.marker,
            "scanText": zh ? "此码已被查询 \(count) 次（\(clients) 台不同设备）。"
                           : "This code has been checked \(count) times from \(clients) different devices.",
            "copyWarningText": zh ? "已有超过 \(configuration.copyWarningClients) 台不同设备查询过此码。一物一码：若您刚拆封且首次扫码，却看到此提示，请谨慎购买并向监管部门反映。"
                                  : "More than \(configuration.copyWarningClients) different devices have checked this code. Each unit has its own code: if you are the first buyer and see this, be careful and tell the market regulator.",
        ] as [String: Any]
        return renderer.page(model, language: variant.language)
    }

    func errorPage(_ error: APIError, linkTarget: String, language: Language) -> Reply {
        renderer.errorReply(error, linkTarget: linkTarget, language: language)
    }

}

extension PageRenderer {
    /// The red page for an error: the message, and the code's parts if known.
    func errorReply(_ error: APIError, linkTarget: String, language: Language) -> Reply {
        let zh = language == .chinese
        var model: [String: Any] = [
            "title": zh ? "追溯查询" : "Traceability check",
            "heading": zh ? "追溯码核验" : "Code check",
            "notGenuine": true,
            "verdictTitle": Self.errorTitle(error.id, zh: zh),
            "verdictText": error.message(in: language),
            "langLink": linkTarget + (zh ? "lang=en" : "lang=zh"),
            "jsonLink": linkTarget + "format=json",
        ]
        if case .string(let gtin)? = error.details["gtin"], case .string(let lot)? = error.details["lot"],
           case .string(let serial)? = error.details["serial"] {
            model["code"] = ["gtin": gtin, "lot": lot, "serial": serial]
        }
        var headers = error.headers
        headers[.cacheControl] = "no-store"
        return JSONResponse.reply(error.status, Array(page(model, language: language).utf8),
                                  type: Representation.html.mediaType, headers: headers)
    }

    static func errorTitle(_ id: String, zh: Bool) -> String {
        switch id {
        case "not-issued": zh ? "非本系统签发的码" : "Not issued by this system"
        case "forged": zh ? "伪造码" : "Forged code"
        case "malformed-code", "malformed-link": zh ? "无法识别的码" : "Not a valid code"
        case "unknown-batch": zh ? "没有这个批次" : "No such batch"
        case "unknown-product": zh ? "没有这个商品" : "No such product"
        case "uri-too-long": zh ? "地址过长" : "Address too long"
        default: zh ? "暂时无法查询" : "Cannot check right now"
        }
    }
}
