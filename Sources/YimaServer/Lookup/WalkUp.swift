import Foundation
import HTTPTypes
import Logging
import NIOCore
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// The levels above a unit (docs/api.md §Batch and product pages): `/01/{gtin}/10/{lot}`
/// (a batch: its product, producer, origin, inputs, tests, certificates, recall; no
/// unit's serial or signature), `/01/{gtin}` (a product and its batches), and a unit
/// requested without its signature, answered with its batch and marked as not
/// verifiable. As a page (Chinese or English), JSON, a linkset, or for a batch a QR
/// code of its page's URL (`format=qr`, SVG). Nothing here counts a scan.
struct WalkUp: Sendable {
    let resolver: CodeResolver
    let renderer: PageRenderer
    let views: BatchViews
    let logger: Logger

    /// Never throws: every failure is an error reply (400 for a URI that is not a
    /// Digital Link, 404 for an unknown batch, product or link type).
    func answer(path: Substring, query: LookupQuery, root: String, language: Language, representation: Representation) -> Reply {
        do throws(APIError) {
            switch try DigitalLinkLevel(path: path, root: root) {
            case .product(let gtin):
                return try product(gtin: gtin, path: path, query: query, root: root, language: language, representation: representation)
            case .batch(let gtin, let lot, let serial):
                return try batch(gtin: gtin, lot: lot, serial: serial, path: path, query: query, root: root,
                                 language: language, representation: representation)
            }
        } catch {
            // A URI that is no Digital Link gets the JSON error whatever it accepts.
            return representation == .html && query.format?.lowercased() != "qr" && error.id != "malformed-link"
                ? renderer.errorReply(error, linkTarget: "\(path)?", language: language)
                : error.reply(in: language)
        }
    }

    // MARK: Batch

    private func batch(gtin: String, lot: String, serial: String?, path: Substring, query: LookupQuery, root: String,
                       language: Language, representation: Representation) throws(APIError) -> Reply {
        guard let reference = try? BatchReference(key: "\(gtin)/\(lot)"),
              let history = try read({ () throws(ServiceError) in try resolver.history(of: reference) }) else {
            throw APIError(.notFound, "unknown-batch", .unknownBatch, ["gtin": gtin, "lot": lot],
                           details: ["gtin": .string(gtin), "lot": .string(lot)])
        }
        let view = views.view(of: history)
        let batchAnchor = "\(root)/01/\(gtin)/10/\(lot)"
        let anchor = serial.map { "\(batchAnchor)/21/\($0)" } ?? batchAnchor
        let productAnchor = "\(root)/01/\(gtin)"
        let linksetURL = "\(anchor)?format=linkset"
        if representation == .linkset || query.linkType != nil {
            return Linkset.respond(Linkset.batchLinks(view: view, anchor: batchAnchor, productAnchor: productAnchor), anchor: anchor,
                                   description: view.productName, linkType: query.linkType.map(String.init),
                                   asLinkset: representation == .linkset, language: language, query: query, linkset: linksetURL)
        }
        if query.format?.lowercased() == "qr" { return try qr(batchAnchor) }
        // A recall of the whole batch; for a unit, also one of its units naming it.
        let recall = serial.flatMap { history.recall(serial: $0) } ?? history.recallNotices.last { $0.units.isEmpty }
        var headers: HTTPFields = [.cacheControl: "no-store", .link: Linkset.linksetHeader(linksetURL)]
        switch representation {
        case .json, .linkset:
            var out = JSONWriter(capacity: 512)
            out.beginObject()
            out.key("anchor"); out.string(anchor)
            out.key("gtin"); out.string(gtin)
            out.key("level"); out.string("batch")
            out.key("lot"); out.string(lot)
            out.key("product_page"); out.string(productAnchor)
            out.key("qr"); out.string("\(batchAnchor)?format=qr")
            if let recall { out.key("recall"); out.raw(CanonicalJSON.encode(recall.json)) }
            out.key("recalled"); out.bool(recall != nil)
            if let serial {
                out.key("unit"); out.beginObject()
                out.key("message"); out.string(Self.unverifiable(language).text)
                out.key("serial"); out.string(serial)
                out.key("verifiable"); out.bool(false)
                out.endObject()
                out.key("verdict"); out.string("unverifiable")
            }
            headers[.contentType] = Representation.json.mediaType
            return Reply(status: .ok, headers: headers, parts: [out.buffer, view.jsonTail])
        case .html:
            headers[.contentType] = Representation.html.mediaType
            let zh = language == .chinese
            let name = zh ? view.productName : (view.productNameEnglish ?? view.productName)
            let notice = serial == nil
                ? Self.batchNotice(language)
                : (kind: "warn", title: Self.unverifiable(language).title, text: Self.unverifiable(language).text)
            var shownNotice: [String: Any] = ["kind": notice.kind, "title": notice.title, "text": notice.text]
            if let serial { shownNotice["serial"] = serial }
            var model: [String: Any] = [
                "title": ServerMessage.batchPageTitle.text(in: language, ["name": name, "lot": lot]),
                "heading": name,
                "details": view.detailsHTML[language] ?? "",
                "notice": shownNotice,
                "up": ["href": "/01/\(gtin)", "text": ServerMessage.batchAllBatches.text(in: language),
                       "qr": "/01/\(gtin)/10/\(lot)?format=qr", "qrText": ServerMessage.batchQRCode.text(in: language)],
                "langLink": "\(path)?" + (zh ? "lang=en" : "lang=zh"),
                "jsonLink": "\(path)?format=json",
            ]
            if let recall {
                model["recall"] = ["reason": recall.reason, "action": recall.action, "time": recall.time.rawValue]
            }
            return Reply(status: .ok, headers: headers, body: ByteBuffer(string: renderer.page(model, language: language)))
        }
    }

    /// An SVG QR code of a batch page's URL, for a shop's listing.
    private func qr(_ url: String) throws(APIError) -> Reply {
        let matrix: QRMatrix
        do { matrix = try QRMatrix.encode(url) } catch { throw APIError.internalError }
        return Reply(status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=86400"],
                     body: ByteBuffer(bytes: matrix.svgBytes(moduleSize: 6)))
    }

    // MARK: Product

    private func product(gtin: String, path: Substring, query: LookupQuery, root: String, language: Language,
                         representation: Representation) throws(APIError) -> Reply {
        guard let checked = try? GTIN(gtin, field: "gtin"),
              let product = try read({ () throws(ServiceError) in try resolver.product(gtin: checked) }) else {
            throw APIError(.notFound, "unknown-product", .unknownProduct, ["gtin": gtin],
                           details: ["gtin": .string(gtin)])
        }
        let anchor = "\(root)/01/\(gtin)"
        let linksetURL = "\(anchor)?format=linkset"
        var name = gtin, english = gtin, certificates = false
        if case .product(let record)? = product.product?.record {
            name = record.name
            english = record.nameEnglish ?? record.name
            certificates = !record.certificates.isEmpty
        }
        if representation == .linkset || query.linkType != nil {
            return Linkset.respond(Linkset.productLinks(name: name, english: english, anchor: anchor, certificates: certificates),
                                   anchor: anchor, description: name, linkType: query.linkType.map(String.init),
                                   asLinkset: representation == .linkset, language: language, query: query, linkset: linksetURL)
        }
        var headers: HTTPFields = [.cacheControl: "no-store", .link: Linkset.linksetHeader(linksetURL)]
        switch representation {
        case .json, .linkset:
            var object: [String: JSONValue] = [
                "anchor": .string(anchor), "gtin": .string(gtin), "level": .string("product"),
                "batch_count": .integer(Int64(product.batchCount)),
                "batches": .array(product.batches.map { batch in
                    .object(["lot": .string(batch.lot), "season": .string(batch.season), "place": .string(batch.place),
                             "owner": .string(batch.owner), "recorded_at": .string(RFC3339.utc(batch.recordedAt)),
                             "recalled": .bool(batch.recalled), "href": .string("\(anchor)/10/\(batch.lot)")])
                }),
            ]
            if let entry = product.product { object["product"] = entry.json }
            if let owner = product.owner { object["owner"] = owner.json }
            return JSONResponse.reply(.ok, CanonicalJSON.encode(.object(object)), headers: headers)
        case .html:
            headers[.contentType] = Representation.html.mediaType
            let zh = language == .chinese
            let shown = zh ? name : english
            var model: [String: Any] = [
                "title": ServerMessage.productPageTitle.text(in: language, ["name": shown]),
                "heading": shown,
                "details": renderer.details(Presentation.product(product, language: language), language: language),
                "notice": ["kind": "ok", "title": ServerMessage.productNoticeTitle.text(in: language),
                           "text": ServerMessage.productNoticeText.text(in: language)],
                "langLink": "\(path)?" + (zh ? "lang=en" : "lang=zh"),
                "jsonLink": "\(path)?format=json",
            ]
            model["batches"] = [
                "title": ServerMessage.productBatches.text(in: language),
                "list": product.batches.map { batch -> [String: Any] in
                    ["lot": batch.lot, "season": batch.season, "place": batch.place, "href": "/01/\(gtin)/10/\(batch.lot)",
                     "recalled": batch.recalled, "recalledText": ServerMessage.productBatchRecalled.text(in: language)]
                },
            ] as [String: Any]
            if product.batchCount > product.batches.count, var batches = model["batches"] as? [String: Any] {
                batches["more"] = ServerMessage.productMoreBatches.text(in: language,
                                                                        ["count": product.batchCount, "shown": product.batches.count])
                model["batches"] = batches
            }
            return Reply(status: .ok, headers: headers, body: ByteBuffer(string: renderer.page(model, language: language)))
        }
    }

    // MARK: Texts

    static func batchNotice(_ language: Language) -> (kind: String, title: String, text: String) {
        ("ok", ServerMessage.batchNoticeTitle.text(in: language), ServerMessage.batchNoticeText.text(in: language))
    }

    static func unverifiable(_ language: Language) -> (title: String, text: String) {
        (ServerMessage.unverifiableTitle.text(in: language), ServerMessage.unverifiableText.text(in: language))
    }

    private func read<T>(_ body: () throws(ServiceError) -> T) throws(APIError) -> T {
        do { return try body() } catch {
            logger.error("walk-up lookup failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
    }
}
