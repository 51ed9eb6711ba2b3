import Foundation
import NIOCore
import Synchronization
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// The part of a lookup answer that is the same for every unit of a batch until
/// its chain grows: pre-encoded JSON members and pre-rendered page sections, made
/// once per `BatchHistory` the resolver gives.
struct BatchView: Sendable {
    /// Id of the newest record in the chain: the view is stale once the batch's head differs.
    let headID: [UInt8]
    let productName: String
    let productNameEnglish: String?
    let hasCertificates: Bool
    /// Party names by id, for the issuer line.
    let partyNames: [String: String]
    /// `,"batch":…,"events":[…],"parties":[…],"product":…}`: the batch's members and
    /// the closing brace of a unit's answer, sent as they are after the unit's own
    /// members (one buffer shared by every answer, never copied per request).
    let jsonTail: ByteBuffer
    /// The rendered `lookup-details` template per language.
    let detailsHTML: [Language: String]
    /// Whole pages with slots for the unit's values, rendered on first use.
    let pages = PageCache()

    init(_ history: BatchHistory, renderer: PageRenderer) {
        var members: [UInt8] = []
        func member(_ name: String, _ value: JSONValue) {
            if !members.isEmpty { members.append(UInt8(ascii: ",")) }
            members += CanonicalJSON.encode(.string(name))
            members.append(UInt8(ascii: ":"))
            members += CanonicalJSON.encode(value)
        }
        member("batch", history.batch.json)
        member("events", .array(history.events.map(\.json)))
        member("parties", .array(history.parties.map(\.json)))
        if let product = history.product { member("product", product.json) }
        member("integrity", history.integrityJSON)

        var name = history.gtin, english: String?, certificates = false
        if case .product(let product)? = history.product?.record {
            name = product.name
            english = product.nameEnglish
            certificates = !product.certificates.isEmpty
        }
        let parties = history.partiesByID
        var html: [Language: String] = [:]
        for language in Language.allCases {
            html[language] = renderer.details(Presentation.details(history, parties: parties, language: language), language: language)
        }
        headID = history.headID
        productName = name
        productNameEnglish = english
        hasCertificates = certificates
        partyNames = parties.mapValues(\.name)
        jsonTail = ByteBuffer(bytes: [UInt8(ascii: ",")] + members + [UInt8(ascii: "}")])
        detailsHTML = html
    }
}

/// Each batch's rendered view for the history it was rendered from, shared by unit
/// lookups and batch pages.
struct BatchViews: Sendable {
    let renderer: PageRenderer
    let cache: LRUCache<String, BatchView>

    init(renderer: PageRenderer, capacity: Int) {
        self.renderer = renderer
        cache = LRUCache(capacity: capacity)
    }

    /// The batch's view for `history`, rendered once per history.
    func view(of history: BatchHistory) -> BatchView {
        if let view = cache.get(history.key), view.headID == history.headID { return view }
        let view = BatchView(history, renderer: renderer)
        cache.set(history.key, view)
        return view
    }
}

extension RecallNotice {
    /// The notice as the JSON member `recall` (docs/api.md §JSON).
    var json: JSONValue {
        var fields: [String: JSONValue] = [
            "reason": .string(reason), "action": .string(action), "time": .string(time.rawValue),
            "record": .string(recordID.hex), "by": .string(by.rawValue),
            "scope": .string(units.isEmpty ? "batch" : "units"),
        ]
        if !units.isEmpty { fields["units"] = .array(units.map(\.rawValue).sorted().map(JSONValue.string)) }
        return .object(fields)
    }
}

/// Which page of a batch a unit gets: all that the page shows besides the batch
/// and the slot values.
struct PageVariant: Hashable, Sendable {
    let language: Language
    let warning: Bool
    let keyID: String?
    let party: String?
    /// The id of the recall notice covering the unit, if any.
    let recall: String?
}

/// A batch view's pages by variant, shared by the requests that use the view.
final class PageCache: Sendable {
    private let pages = Mutex([PageVariant: PageTemplate]())

    func template(_ variant: PageVariant, render: () -> PageTemplate) -> PageTemplate {
        if let page = pages.withLock({ $0[variant] }) { return page }
        // Rendered outside the lock; two first requests may both render, harmlessly.
        let page = render()
        pages.withLock { $0[variant] = page }
        return page
    }
}

/// Times as the page shows them.
enum DisplayTime {
    /// `2026-09-15 08:30` in `zone`.
    static func format(_ seconds: Int64, in zone: TimeZone) -> String {
        let shifted = seconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let text = RFC3339.utc(shifted)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }
}
