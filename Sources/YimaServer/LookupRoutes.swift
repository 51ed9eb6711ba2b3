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
        router.get(Self.codeRoute) { request, context in try await self.lookup(request, context: context, head: false) }
        router.on(Self.codeRoute, method: .head) { request, context in try await self.lookup(request, context: context, head: true) }
        router.get("/.well-known/gs1resolver") { request, _ in
            JSONResponse.make(.ok, Linkset.resolverDescription(root: Self.root(of: request)),
                              headers: [.cacheControl: "public, max-age=3600"])
        }
    }

    /// `https://HOST` as the client addressed us (the code's host is not signed).
    static func root(of request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        let allowed = host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
        return "https://" + (allowed && !host.isEmpty && host.utf8.count <= 255 ? host.uppercased() : "LOCALHOST")
    }

    func lookup(_ request: Request, context: LookupContext, head: Bool) async throws -> Response {
        let started = ContinuousClock.now
        let target = request.head.path ?? "/"
        let questionMark = target.firstIndex(of: "?")
        let path = questionMark.map { target[..<$0] } ?? target[...]
        let query = LookupQuery(questionMark.map { target[target.index(after: $0)...] })
        let language = Language.choose(lang: query.lang, acceptLanguage: request.headers[.acceptLanguage])
        let representation = Representation.choose(format: query.format, accept: request.headers[.accept])
        let root = Self.root(of: request)
        let scanned = root + path + (query.codeQuery.isEmpty ? "" : "?" + query.codeQuery)

        var response: Response
        do {
            response = try answer(request, context: context, head: head, scanned: scanned, root: root, query: query,
                                  language: language, representation: representation)
        } catch let error as APIError {
            response = representation == .html
                ? errorPage(error, scanned: scanned, language: language)
                : error.response(in: language)
        }
        response.headers[.vary] = "Accept, Accept-Language"
        if head { response.body = .init() }
        metrics.lookupDuration.record(ContinuousClock.now - started)
        return response
    }

    private func answer(_ request: Request, context: LookupContext, head: Bool, scanned: String, root: String,
                        query: LookupQuery, language: Language, representation: Representation) throws -> Response {
        let code: UnitCode
        do { code = try UnitCode.parse(scanned) } catch {
            metrics.lookup("malformed")
            throw APIError.malformedCode(error)
        }
        let outcome: LookupEngine.Outcome
        do { outcome = try engine.resolve(code, scanned: scanned) } catch {
            logger.error("lookup failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let view: BatchView, unit: LookupEngine.UnitInfo
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
        case .genuine(let batchView, let info):
            metrics.lookup("genuine")
            view = batchView
            unit = info
        }
        let anchor = "\(root)\(code.path)"
        if representation == .linkset || query.linkType != nil {
            return Linkset.respond(view: view, code: code, anchor: anchor, linkType: query.linkType.map(String.init),
                                   asLinkset: representation == .linkset || query.linkType == "all")
        }
        let summary: ScanSummary
        do {
            summary = head
                ? try scans.summary(gtin: code.gtin, lot: code.lot, serial: code.serial)
                : try scans.record(gtin: code.gtin, lot: code.lot, serial: code.serial,
                                   client: secret.clientID(clientAddress(request, context: context)), time: Clock.now())
        } catch {
            logger.error("scan counting failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let warning = summary.distinctClients > Int64(configuration.copyWarningClients)
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[HTTPField.Name("Link")!] = "<\(anchor)?\(code.signatureParameterMember)&format=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""
        switch representation {
        case .json, .linkset:
            return JSONResponse.bytes(.ok, json(code: code, scanned: scanned, view: view, unit: unit, summary: summary, warning: warning),
                                      headers: headers)
        case .html:
            let html = page(code: code, scanned: scanned, view: view, unit: unit, summary: summary, warning: warning, language: language)
            return JSONResponse.bytes(.ok, Array(html.utf8), type: Representation.html.mediaType, headers: headers)
        }
    }

    static func codeDetails(_ code: UnitCode, verdict: String) -> [String: JSONValue] {
        ["verdict": .string(verdict), "gtin": .string(code.gtin), "lot": .string(code.lot), "serial": .string(code.serial)]
    }

    // MARK: JSON

    func json(code: UnitCode, scanned: String, view: BatchView, unit: LookupEngine.UnitInfo, summary: ScanSummary, warning: Bool) -> [UInt8] {
        var scan: [String: JSONValue] = [
            "count": .integer(summary.count), "distinct_clients": .integer(summary.distinctClients),
            "copy_warning": .bool(warning), "copy_warning_threshold": .integer(Int64(configuration.copyWarningClients)),
        ]
        if let first = summary.firstScan { scan["first_scan"] = .string(Clock.rfc3339(first)) }
        var head: [String: JSONValue] = [
            "code": .string(scanned), "verdict": .string("genuine"), "genuine": .bool(true),
            "gtin": .string(code.gtin), "lot": .string(code.lot), "serial": .string(code.serial),
            "scan": .object(scan), "recalled": .bool(view.recall(serial: code.serial) != nil),
        ]
        if case .genuine(let keyID, let party) = unit.verdict {
            head["issuer"] = .object(["key_id": .string(keyID), "party": .string(party)])
        }
        if let recall = view.recall(serial: code.serial) { head["recall"] = recall }
        if let container = unit.container { head["container"] = .string(container) }
        var bytes = CanonicalJSON.encode(.object(head))
        bytes.removeLast()
        bytes.append(UInt8(ascii: ","))
        bytes += view.jsonMembers
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    // MARK: HTML

    func page(code: UnitCode, scanned: String, view: BatchView, unit: LookupEngine.UnitInfo, summary: ScanSummary,
              warning: Bool, language: Language) -> String {
        let zh = language == .chinese
        let name = zh ? view.productName : (view.productNameEnglish ?? view.productName)
        var model: [String: Any] = [
            "title": zh ? "\(name) · 追溯查询" : "\(name) · traceability",
            "heading": name,
            "details": view.detailsHTML[language] ?? "",
            "langLink": link(scanned, lang: zh ? "en" : "zh"),
            "jsonLink": link(scanned, format: "json"),
        ]
        if case .genuine(let keyID, let party) = unit.verdict {
            model["genuine"] = true
            model["issuer"] = view.partyNames[party] ?? party
            model["keyID"] = keyID
        }
        if let recall = view.recall(serial: code.serial), case .object(let fields) = recall {
            var shown: [String: Any] = [:]
            for (key, value) in fields { if case .string(let text) = value { shown[key] = text } }
            model["recall"] = shown
        }
        let first = summary.firstScan.map { Clock.display($0, in: configuration.displayTimeZone) } ?? ""
        model["scan"] = [
            "warning": warning,
            "first": first,
            "scanText": zh ? "此码已被查询 \(summary.count) 次（\(summary.distinctClients) 台不同设备）。"
                           : "This code has been checked \(summary.count) times from \(summary.distinctClients) different devices.",
            "copyWarningText": zh ? "已有超过 \(configuration.copyWarningClients) 台不同设备查询过此码。一物一码：若您刚拆封且首次扫码，却看到此提示，请谨慎购买并向监管部门反映。"
                                  : "More than \(configuration.copyWarningClients) different devices have checked this code. Each unit has its own code: if you are the first buyer and see this, be careful and tell the market regulator.",
        ] as [String: Any]
        return engine.renderer.page(model, language: language)
    }

    func errorPage(_ error: APIError, scanned: String, language: Language) -> Response {
        let zh = language == .chinese
        var model: [String: Any] = [
            "title": zh ? "追溯查询" : "Traceability check",
            "heading": zh ? "追溯码核验" : "Code check",
            "notGenuine": true,
            "verdictTitle": Self.errorTitle(error.id, zh: zh),
            "verdictText": error.message(in: language),
            "langLink": link(scanned, lang: zh ? "en" : "zh"),
            "jsonLink": link(scanned, format: "json"),
        ]
        if case .string(let gtin)? = error.details["gtin"], case .string(let lot)? = error.details["lot"],
           case .string(let serial)? = error.details["serial"] {
            model["code"] = ["gtin": gtin, "lot": lot, "serial": serial]
        }
        var headers = error.headers
        headers[.cacheControl] = "no-store"
        return JSONResponse.bytes(error.status, Array(engine.renderer.page(model, language: language).utf8),
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

    /// The lookup URL with one server parameter set (path relative, so it works
    /// behind any host).
    func link(_ scanned: String, lang: String? = nil, format: String? = nil) -> String {
        guard let schemeEnd = scanned.range(of: "://") else { return "?" }
        let rest = scanned[schemeEnd.upperBound...]
        let pathAndQuery = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        var url = pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?")
        if let lang { url += "lang=\(lang)" }
        if let format { url += "format=\(format)" }
        return url
    }
}

extension UnitCode {
    /// `s=…` as printed.
    var signatureParameterMember: String { "s=" + signatureParameterValue }
}
