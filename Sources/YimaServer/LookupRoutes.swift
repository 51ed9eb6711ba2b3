import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YimaCodes
import YimaRecords
import YimaService
import YimaStore

extension LookupServer {
    static let codeRoute: RouterPath = "/01/:gtin/10/:lot/21/:serial"

    func addLookupRoutes(to router: Router<LookupContext>) {
        // `LookupChannelHandler` answers most lookups before they reach the router;
        // these routes answer the rest (and the router-level tests) with the same code.
        router.get(Self.codeRoute) { request, context in
            self.lookup(request.head, peer: context.remoteAddress?.ipAddress, head: false).response
        }
        router.on(Self.codeRoute, method: .head) { request, context in
            self.lookup(request.head, peer: context.remoteAddress?.ipAddress, head: true).response
        }
        router.get("/.well-known/gs1resolver") { request, _ in
            JSONResponse.make(.ok, Linkset.resolverDescription(root: Self.root(of: request, trustForwarded: self.configuration.trustForwardedFor)),
                              headers: [.cacheControl: "public, max-age=3600"])
        }
    }

    /// `SCHEME://HOST` as the client addressed us, the host in capitals as labels
    /// print it (the code's host is not signed). The scheme is the request's, or
    /// `X-Forwarded-Proto` behind a trusted proxy; plain `http` otherwise.
    static func root(of request: Request, trustForwarded: Bool) -> String {
        root(of: request.head, trustForwarded: trustForwarded)
    }

    static func root(of head: HTTPRequest, trustForwarded: Bool) -> String {
        var scheme = head.scheme?.lowercased() ?? "http"
        if trustForwarded, let forwarded = head.headerFields[Self.forwardedProto]?.lowercased(),
           forwarded == "https" || forwarded == "http" {
            scheme = forwarded
        }
        return root(of: head, scheme: scheme == "https" ? "https" : "http")
    }

    /// `SCHEME://HOST` with the host as above (`https` for what is printed from it).
    static func root(of request: Request, scheme: String = "https") -> String { root(of: request.head, scheme: scheme) }

    static func root(of head: HTTPRequest, scheme: String) -> String {
        let host = head.authority ?? "localhost"
        let allowed = host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
        return scheme + "://" + (allowed && !host.isEmpty && host.utf8.count <= 255 ? host.uppercased() : "LOCALHOST")
    }

    /// A code lookup (GET, or HEAD with `head`) from `peer` (the connection's IP
    /// address): never throws, every failure is an error reply.
    func lookup(_ request: HTTPRequest, peer: String?, head: Bool) -> Reply {
        let started = ContinuousClock.now
        let target = request.path ?? "/"
        let questionMark = target.firstIndex(of: "?")
        let path = questionMark.map { target[..<$0] } ?? target[...]
        let query = LookupQuery(questionMark.map { target[target.index(after: $0)...] })
        let language = Language.choose(lang: query.lang, acceptLanguage: request.headerFields[.acceptLanguage])
        let representation = Representation.choose(format: query.format, accept: request.headerFields[.accept])
        let root = Self.root(of: request, trustForwarded: configuration.trustForwardedFor)
        let codeTarget = query.codeQuery.isEmpty ? String(path) : path + "?" + query.codeQuery
        let scanned = root + codeTarget
        // Links on the page add one parameter to the code's own path and query.
        let linkTarget = codeTarget + (query.codeQuery.isEmpty ? "?" : "&")

        var reply: Reply
        do throws(APIError) {
            reply = try answer(request, peer: peer, head: head, scanned: scanned, root: root, query: query,
                               linkTarget: linkTarget, language: language, representation: representation)
        } catch {
            reply = representation == .html
                ? errorPage(error, linkTarget: linkTarget, language: language)
                : error.reply(in: language)
        }
        reply.headers[.vary] = "Accept, Accept-Language"
        if head { reply.body = [] }
        metrics.lookupDuration.record(ContinuousClock.now - started)
        return reply
    }

    private func answer(_ request: HTTPRequest, peer: String?, head: Bool, scanned: String, root: String,
                        query: LookupQuery, linkTarget: String, language: Language, representation: Representation) throws(APIError) -> Reply {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch {
            metrics.lookup("malformed")
            throw APIError.malformedCode(error)
        }
        let outcome: LookupEngine.Outcome
        let linkset = representation == .linkset || query.linkType != nil
        // A unit's first scan since start needs its stored summary (HEAD: without the clients).
        let scanClients = linkset || scans.isTracking(gtin: code.gtin, lot: code.lot, serial: code.serial)
            ? nil : head ? 0 : scans.clientMemory
        do { outcome = try engine.resolve(code, scanned: scanned, scanClients: scanClients) } catch {
            logger.error("lookup failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let view: BatchView, unit: LookupEngine.UnitInfo, stored: ScanSummary?
        switch outcome {
        case .notIssued:
            metrics.lookup("not-issued")
            throw APIError(.notFound, "not-issued",
                           zh: "此码未由本系统签发：数据库中没有这个码。请勿相信此商品的追溯信息。",
                           en: "This code was not issued by this system: it is not in our register. Do not trust this product's traceability claims.",
                           details: Self.codeDetails(code, verdict: "not-issued"))
        case .forged:
            metrics.lookup("forged")
            throw APIError(.conflict, "forged",
                           zh: "伪造码：此码的签名与登记签发的码不符，可能被篡改或仿冒。",
                           en: "Forged code: its signature does not match the code that was issued; it was altered or made up.",
                           details: Self.codeDetails(code, verdict: "forged"))
        case .keyNotValid(let keyID, let status):
            metrics.lookup("key-not-valid")
            throw APIError(.conflict, "key-not-valid",
                           zh: "此码的签发密钥不可信：\(status.message(keyID: keyID, in: .chinese))。请勿相信此商品的追溯信息。",
                           en: "This code's signing key is not trusted: \(status.message(keyID: keyID, in: .english)). Do not trust this product's traceability claims.",
                           details: Self.codeDetails(code, verdict: "key-not-valid"))
        case .genuine(let batchView, let info, let storedScans):
            metrics.lookup("genuine")
            view = batchView
            unit = info
            stored = storedScans
        }
        let anchor = "\(root)\(code.path)"
        if linkset {
            return Linkset.respond(view: view, code: code, anchor: anchor, linkType: query.linkType.map(String.init),
                                   asLinkset: representation == .linkset || query.linkType == "all")
        }
        let summary: ScanSummary
        do {
            summary = head
                ? try scans.summary(gtin: code.gtin, lot: code.lot, serial: code.serial, stored: stored)
                : try scans.record(gtin: code.gtin, lot: code.lot, serial: code.serial,
                                   client: pseudonyms.clientID(clientAddress(request.headerFields, peer: peer)), time: Clock.now(),
                                   stored: stored)
        } catch {
            logger.error("scan counting failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let answer = UnitAnswer(code: scanned, unit: code, info: unit, recall: view.recall(serial: code.serial), scan: summary,
                                copyWarningThreshold: configuration.copyWarningClients)
        var headers: HTTPFields = [.cacheControl: "no-store", .contentType: representation.mediaType]
        // The code's query as scanned is its `s=…` when that is all it holds (it parsed, so it is the code's).
        let signature = query.codeQuery.hasPrefix("s=") && !query.codeQuery.utf8.contains(UInt8(ascii: "&"))
            ? String(query.codeQuery) : code.signatureParameterMember
        headers[Self.link] = "<\(anchor)?\(signature)&format=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""
        switch representation {
        case .json, .linkset:
            headers[.contentType] = Representation.json.mediaType
            return Reply(status: .ok, headers: headers, parts: answer.json(view))
        case .html:
            return Reply(status: .ok, headers: headers, body: page(answer, view: view, linkTarget: linkTarget, language: language))
        }
    }

    static func codeDetails(_ code: UnitCode, verdict: String) -> [String: JSONValue] {
        ["verdict": .string(verdict), "gtin": .string(code.gtin), "lot": .string(code.lot), "serial": .string(code.serial)]
    }

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
            case .firstScan: answer.scan.firstScan.map { Clock.display($0, in: configuration.displayTimeZone) } ?? ""
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
        return engine.renderer.page(model, language: variant.language)
    }

    func errorPage(_ error: APIError, linkTarget: String, language: Language) -> Reply {
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
        return JSONResponse.reply(error.status, Array(engine.renderer.page(model, language: language).utf8),
                                  type: Representation.html.mediaType, headers: headers)
    }

    static func errorTitle(_ id: String, zh: Bool) -> String {
        switch id {
        case "not-issued": zh ? "非本系统签发的码" : "Not issued by this system"
        case "forged": zh ? "伪造码" : "Forged code"
        case "malformed-code": zh ? "无法识别的码" : "Not a valid code"
        case "uri-too-long": zh ? "地址过长" : "Address too long"
        default: zh ? "暂时无法查询" : "Cannot check right now"
        }
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let link = HTTPField.Name("Link")!
}

extension UnitCode {
    /// `s=…` as printed.
    var signatureParameterMember: String { "s=" + signatureParameterValue }
}
