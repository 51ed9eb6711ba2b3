import Foundation
import NIOCore
import Synchronization
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

/// The part of a lookup answer that is the same for every unit of a batch until
/// its chain grows: pre-encoded JSON members and pre-rendered page sections.
/// Built from `TraceService.chain(for:)` once per batch head.
struct BatchView: Sendable {
    /// Id of the newest record in the chain: the view is stale once the batch's head differs.
    let headID: [UInt8]
    let gtin: String
    let lot: String
    let productName: String
    let productNameEnglish: String?
    let hasCertificates: Bool
    /// The batch's recall notices, oldest first (a recall is on the chain, so it moves the head).
    let recalls: [RecallNotice]
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

    /// The latest notice recalling unit `serial`, as the JSON member `recall`.
    func recall(serial: String) -> JSONValue? {
        guard let notice = recalls.last(where: { $0.covers(gtin: gtin, lot: lot, serial: serial) }) else { return nil }
        var fields: [String: JSONValue] = [
            "reason": .string(notice.reason), "action": .string(notice.action), "time": .string(notice.time.rawValue),
            "record": .string(notice.recordID.hex), "by": .string(notice.by.rawValue),
            "scope": .string(notice.units.isEmpty ? "batch" : "units"),
        ]
        if !notice.units.isEmpty { fields["units"] = .array(notice.units.map(\.rawValue).sorted().map(JSONValue.string)) }
        return .object(fields)
    }

    static func build(_ chain: UnitChain, service: TraceService, renderer: PageRenderer) throws(ServiceError) -> BatchView {
        // Every party the chain names, with its registration record for verifiers.
        var partyRecords: [String: (StoredRecord, Envelope, Party)] = [:]
        var wanted: [String] = []
        func want(_ id: String) { if !wanted.contains(id) { wanted.append(id) } }
        for entry in [chain.batch] + chain.events + (chain.product.map { [$0] } ?? []) {
            if let signer = entry.signer { want(signer.id.rawValue) }
            switch entry.record {
            case .batch(let batch): want(batch.owner.rawValue)
            case .event(let event):
                switch event.data {
                case .inspection(let laboratory, _, _, _): want(laboratory.rawValue)
                case .shipping(let from, let to, let carrier, _, _): [from, to, carrier].forEach { want($0.rawValue) }
                case .receiving(let from, _, _): want(from.rawValue)
                default: break
                }
            default: break
            }
        }
        for id in wanted {
            let stored: StoredRecord?
            do { stored = try service.store.partyRecord(id: id) } catch { throw .store(error) }
            guard let stored else { continue }
            let envelope: Envelope
            do { envelope = try Envelope(encoded: stored.envelope) } catch { throw .envelope(error) }
            let record: Record
            do { record = try Record(payload: envelope.payload) } catch { throw .record(error) }
            if case .party(let party) = record { partyRecords[id] = (stored, envelope, party) }
        }
        let parties = partyRecords.mapValues { $0.2 }

        func entry(_ entry: ChainEntry) -> JSONValue {
            var object: [String: JSONValue] = [
                "id": .string(entry.envelope.recordID.hex), "log_index": .integer(entry.stored.sequence),
                "record": entry.record.json, "envelope": entry.envelope.json,
                "recorded_at": .string(Clock.rfc3339(entry.stored.recordedAt)),
            ]
            if let signer = entry.signer { object["signer"] = .string(signer.id.rawValue) }
            return .object(object)
        }
        let partyEntries: [JSONValue] = wanted.compactMap { id in
            guard let (stored, envelope, party) = partyRecords[id] else { return nil }
            return .object(["id": .string(envelope.recordID.hex), "log_index": .integer(stored.sequence),
                            "record": party.json, "envelope": envelope.json,
                            "recorded_at": .string(Clock.rfc3339(stored.recordedAt))])
        }
        var members: [UInt8] = []
        func member(_ name: String, _ value: JSONValue) {
            if !members.isEmpty { members.append(UInt8(ascii: ",")) }
            members += CanonicalJSON.encode(.string(name))
            members.append(UInt8(ascii: ":"))
            members += CanonicalJSON.encode(value)
        }
        member("batch", entry(chain.batch))
        member("events", .array(chain.events.map(entry)))
        member("parties", .array(partyEntries))
        if let product = chain.product { member("product", entry(product)) }
        member("integrity", chain.integrityJSON)

        var name = chain.code.gtin, english: String?, certificates = false
        if case .product(let product)? = chain.product?.record {
            name = product.name
            english = product.nameEnglish
            certificates = !product.certificates.isEmpty
        }
        var html: [Language: String] = [:]
        for language in Language.allCases {
            html[language] = renderer.details(Presentation.details(chain, parties: parties, language: language), language: language)
        }
        return BatchView(headID: (chain.events.last ?? chain.batch).envelope.recordID.bytes, gtin: chain.code.gtin,
                         lot: chain.code.lot, productName: name, productNameEnglish: english, hasCertificates: certificates,
                         recalls: chain.recallNotices, partyNames: parties.mapValues(\.name),
                         jsonTail: ByteBuffer(bytes: [UInt8(ascii: ",")] + members + [UInt8(ascii: "}")]), detailsHTML: html)
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

/// Times as the API writes them.
enum Clock {
    static func now() -> Int64 { Int64(time(nil)) }

    /// RFC 3339 in UTC, e.g. `2026-09-15T00:30:00Z` (no formatter: it is on every lookup).
    static func rfc3339(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let fields = [(Int(parts.tm_year) + 1900, 4, "-"), (Int(parts.tm_mon) + 1, 2, "-"), (Int(parts.tm_mday), 2, "T"),
                      (Int(parts.tm_hour), 2, ":"), (Int(parts.tm_min), 2, ":"), (Int(parts.tm_sec), 2, "Z")]
        return String(unsafeUninitializedCapacity: 20) { out in
            var index = 0
            for (value, width, separator) in fields {
                var divisor = width == 4 ? 1000 : 10
                while divisor > 0 {
                    out[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
                out[index] = separator.utf8.first!
                index += 1
            }
            return index
        }
    }

    /// `2026-09-15 08:30` in `zone`, for the page.
    static func display(_ seconds: Int64, in zone: TimeZone) -> String {
        let shifted = seconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let text = rfc3339(shifted)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }
}
