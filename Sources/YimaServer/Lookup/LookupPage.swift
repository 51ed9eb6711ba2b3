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
            "title": ServerMessage.unitPageTitle.text(in: variant.language, ["name": name]),
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
            "scanText": ServerMessage.scanText.text(in: variant.language, ["count": count, "clients": clients]),
            "copyWarningText": ServerMessage.copyWarningText.text(in: variant.language,
                                                                  ["clients": configuration.copyWarningClients]),
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
            "title": ServerMessage.errorPageTitle.text(in: language),
            "heading": ServerMessage.errorPageHeading.text(in: language),
            "notGenuine": true,
            "verdictTitle": Self.errorTitle(error.id).text(in: language),
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

    static func errorTitle(_ id: String) -> ServerMessage {
        switch id {
        case "not-issued": .errorTitleNotIssued
        case "forged": .errorTitleForged
        case "malformed-code", "malformed-link": .errorTitleMalformed
        case "unknown-batch": .errorTitleUnknownBatch
        case "unknown-product": .errorTitleUnknownProduct
        case "uri-too-long": .errorTitleTooLong
        default: .errorTitleOther
        }
    }
}
