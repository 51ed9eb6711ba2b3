import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// A code lookup, `GET|HEAD /01/{gtin}/10/{lot}/21/{serial}?s=…` (docs/api.md
/// §Lookup): the resolver's one call, the scan counted, and the answer rendered as
/// the page, JSON or a linkset. Answered by `LookupChannelHandler` in the pipeline,
/// or by `LookupRoutes` when a request takes the router's way; the same code either way.
struct Lookup: Sendable {
    static let codeRoute: RouterPath = "/01/:gtin/10/:lot/21/:serial"

    let resolver: CodeResolver
    let scans: ScanRecorder
    let renderer: PageRenderer
    let pseudonyms: ClientPseudonyms
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let logger: Logger
    /// Each batch's rendered view, for the history it was rendered from.
    let views: BatchViews
    /// Batch and product pages, and units without a signature.
    let walkUp: WalkUp

    init(resolver: CodeResolver, scans: ScanRecorder, renderer: PageRenderer, pseudonyms: ClientPseudonyms,
         configuration: ServerConfiguration, metrics: ServerMetrics, logger: Logger) {
        self.resolver = resolver
        self.scans = scans
        self.renderer = renderer
        self.pseudonyms = pseudonyms
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        views = BatchViews(renderer: renderer, capacity: configuration.cachedBatches)
        walkUp = WalkUp(resolver: resolver, renderer: renderer, views: views, logger: logger)
    }

    /// Whether `LookupChannelHandler` answers this request itself: a GET or HEAD of
    /// the code route with a target no longer than allowed, that neither closes nor
    /// upgrades the connection nor expects a 100. Anything else takes the router's way.
    func answersInPipeline(_ head: HTTPRequest) -> Bool {
        guard head.method == .get || head.method == .head, let target = head.path,
              target.utf8.count <= configuration.maximumTargetLength, target.hasPrefix("/01/"),
              head.headerFields[.expect] == nil else { return false }
        if let connection = head.headerFields[.connection]?.lowercased(), connection.contains("close") || connection.contains("upgrade") {
            return false
        }
        let path = target.utf8.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return parts.count == 7 && parts[0].isEmpty && parts.dropFirst().allSatisfy { !$0.isEmpty }
            && parts[3].elementsEqual("10".utf8) && parts[5].elementsEqual("21".utf8)
    }

    /// A code lookup (GET, or HEAD with `head`) from `peer` (the connection's IP
    /// address): never throws, every failure is an error reply.
    func answer(_ request: HTTPRequest, peer: String?, head: Bool) -> Reply {
        let started = ContinuousClock.now
        let target = request.path ?? "/"
        let questionMark = target.firstIndex(of: "?")
        var path = questionMark.map { target[..<$0] } ?? target[...]
        // A trailing slash is tolerated (GS1 resolver: SHOULD).
        if path.utf8.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        let query = LookupQuery(questionMark.map { target[target.index(after: $0)...] })
        let language = Language.choose(lang: query.lang, acceptLanguage: request.headerFields[.acceptLanguage])
        let representation = Representation.choose(format: query.format, accept: request.headerFields[.accept])
        let root = request.root(trustForwarded: configuration.trustForwardedFor)
        let codeTarget = query.codeQuery.isEmpty ? String(path) : path + "?" + query.codeQuery
        let scanned = root + codeTarget
        // Links on the page add one parameter to the code's own path and query.
        let linkTarget = codeTarget + (query.codeQuery.isEmpty ? "?" : "&")

        var reply: Reply
        if !query.hasSignature || !Self.isUnitPath(path) {
            // A batch or product, or a unit without `s=` to judge: never a scan.
            reply = walkUp.answer(path: path, query: query, root: root, language: language, representation: representation)
        } else {
            do throws(APIError) {
                reply = try answer(request, peer: peer, head: head, scanned: scanned, root: root, query: query,
                                   linkTarget: linkTarget, language: language, representation: representation)
            } catch {
                reply = representation == .html
                    ? errorPage(error, linkTarget: linkTarget, language: language)
                    : error.reply(in: language)
            }
        }
        reply.headers[.vary] = "Accept, Accept-Language"
        CORS.allowReading(&reply.headers)
        // The pipeline answers without the router's middleware.
        SecurityHeaders.apply(&reply.headers)
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
        let linkset = representation == .linkset || query.linkType != nil
        // A unit's first scan since start needs its stored summary (HEAD: without the clients).
        let scanClients = linkset || scans.isTracking(gtin: code.gtin, lot: code.lot, serial: code.serial)
            ? nil : head ? 0 : scans.clientMemory
        let resolution: Resolution
        do { resolution = try resolver.resolve(code, scanClients: scanClients, scanGeneration: scans.forgottenGeneration) } catch {
            logger.error("lookup failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let unit: GenuineUnit
        switch resolution {
        case .notIssued:
            metrics.lookup("not-issued")
            throw APIError(.notFound, "not-issued", .notIssued, details: Self.codeDetails(code, verdict: "not-issued"))
        case .forged:
            metrics.lookup("forged")
            throw APIError(.conflict, "forged", .forged, details: Self.codeDetails(code, verdict: "forged"))
        case .keyNotValid(let keyID, let status):
            metrics.lookup("key-not-valid")
            throw APIError(.conflict, "key-not-valid", details: Self.codeDetails(code, verdict: "key-not-valid")) {
                ServerMessage.keyNotValid.text(in: $0, ["reason": status.message(keyID: keyID, in: $0)])
            }
        case .genuine(let genuine):
            metrics.lookup("genuine")
            unit = genuine
        }
        let view = views.view(of: unit.history)
        let anchor = "\(root)\(code.path)"
        // The code's query as scanned is its `s=…` when that is all it holds (it parsed, so it is the code's).
        let signature = query.codeQuery.hasPrefix("s=") && !query.codeQuery.utf8.contains(UInt8(ascii: "&"))
            ? String(query.codeQuery) : code.signatureParameterMember
        let linksetURL = "\(anchor)?\(signature)&format=linkset"
        if linkset {
            return Linkset.respond(Linkset.links(view: view, code: code, anchor: anchor, root: root), anchor: anchor,
                                   description: view.productName, linkType: query.linkType.map(String.init),
                                   asLinkset: representation == .linkset, language: language, query: query, linkset: linksetURL)
        }
        let summary: ScanSummary
        do {
            summary = head
                ? try scans.summary(gtin: code.gtin, lot: code.lot, serial: code.serial, stored: unit.storedScans)
                : try scans.record(gtin: code.gtin, lot: code.lot, serial: code.serial,
                                   client: pseudonyms.clientID(request.clientAddress(peer: peer, trustForwarded: configuration.trustForwardedFor)),
                                   time: Int64(time(nil)), stored: unit.storedScans)
        } catch {
            logger.error("scan counting failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        let answer = UnitAnswer(code: scanned, unit: code, genuine: unit, scan: summary,
                                copyWarningThreshold: configuration.copyWarningClients)
        var headers: HTTPFields = [.cacheControl: "no-store", .contentType: representation.mediaType]
        headers[.link] = Linkset.linksetHeader(linksetURL)
        switch representation {
        case .json, .linkset:
            headers[.contentType] = Representation.json.mediaType
            return Reply(status: .ok, headers: headers, parts: answer.json(view))
        case .html:
            return Reply(status: .ok, headers: headers, body: page(answer, view: view, linkTarget: linkTarget, language: language))
        }
    }

    /// Whether `path` has the unit route's shape, `/01/…/10/…/21/…`.
    static func isUnitPath(_ path: Substring) -> Bool {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return parts.count == 7 && parts[0].isEmpty && parts.dropFirst().allSatisfy { !$0.isEmpty }
            && parts[1].elementsEqual("01".utf8) && parts[3].elementsEqual("10".utf8) && parts[5].elementsEqual("21".utf8)
    }

    static func codeDetails(_ code: UnitCode, verdict: String) -> [String: JSONValue] {
        ["verdict": .string(verdict), "gtin": .string(code.gtin), "lot": .string(code.lot), "serial": .string(code.serial)]
    }
}

extension UnitCode {
    /// `s=…` as printed.
    var signatureParameterMember: String { "s=" + signatureParameterValue }
}
