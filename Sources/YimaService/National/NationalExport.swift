import Foundation
import YimaRecords
import YimaStore

/// The national format (NY/T 4712-2025 as docs/national-format.md renders it): a
/// batch, a date range or the whole store, and the records of a log range for
/// upward reporting (docs/upload.md).
public struct NationalExport: Sendable {
    let records: any RecordStore
    let log: any TransparencyLog
    let aliases: any AliasStore
    let reader: RecordReader
    let clock: ServiceClock

    /// What to export: one batch (or all), records in a range of days (China
    /// Standard Time, inclusive; events by their signed time, other records by the
    /// time the store accepted them), or both.
    public struct Selection: Sendable {
        public var batch: String?
        public var from: String?
        public var until: String?

        public init(batch: String? = nil, from: String? = nil, until: String? = nil) {
            self.batch = batch
            self.from = from
            self.until = until
        }
    }

    /// The document for `selection`: the batch's chain with the parties it names and
    /// its product, or every record of the store, narrowed to the days asked for.
    public func document(_ selection: Selection) throws(ServiceError) -> JSONValue {
        let window = try Self.window(from: selection.from, until: selection.until)
        var document = newDocument()
        var selected: [String: JSONValue] = [:]
        var chosen: [DecodedRecord]
        if let key = selection.batch {
            let reference: BatchReference
            do { reference = try BatchReference(key: key) } catch { throw .record(error) }
            let state = try reader.requireBatch(reference)
            chosen = try reader.history(state)
            var parties: Set<String> = []
            for decoded in chosen { parties.formUnion(Self.parties(in: decoded.record)) }
            var extra: [DecodedRecord] = []
            for id in parties.sorted() {
                if let stored = try ServiceError.reading({ try records.partyRecord(id: id) }) {
                    extra.append(try RecordReader.decode(stored))
                }
            }
            if let product = try reader.product(gtin: reference.gtin.rawValue) { extra.append(product) }
            chosen += extra
            selected["batch"] = .string(reference.key)
        } else {
            chosen = try decoded(0..<(try ServiceError.reading { try log.treeSize() }))
        }
        if let window {
            chosen = chosen.filter { window.contains(Self.time(of: $0)) }
            selected["from"] = .string(selection.from ?? "")
            selected["until"] = .string(selection.until ?? "")
        }
        for decoded in chosen { try document.add(decoded) }
        return document.json(generatedAt: clock.now().seconds, selection: selected)
    }

    /// The records at log positions `range`, every one of them, as one document (an
    /// upload batch), with the positions it covers.
    func document(positions range: Range<Int64>) throws(ServiceError) -> JSONValue {
        var document = newDocument()
        for decoded in try decoded(range) { try document.add(decoded) }
        let selection: [String: JSONValue] = ["first_sequence": .integer(range.lowerBound), "last_sequence": .integer(range.upperBound - 1)]
        return document.json(generatedAt: clock.now().seconds, selection: selection)
    }

    // MARK: Reading

    private func newDocument() -> NationalDocument {
        let records = records
        let aliases = aliases
        let codes = SubjectCodes(records: records)
        return NationalDocument(subjectCode: { id throws(ServiceError) in try codes.code(of: id) },
                                aliases: { key throws(ServiceError) in
                                    try ServiceError.reading { try aliases.aliases(batchKey: key).filter { $0.serial == nil }.map(\.code) }
                                })
    }

    private func decoded(_ range: Range<Int64>) throws(ServiceError) -> [DecodedRecord] {
        try LoggedRecord.read(range, from: log).map { (entry) throws(ServiceError) -> DecodedRecord in
            let stored = try ServiceError.reading { try records.record(id: entry.envelope.recordID.bytes) }
            guard let stored, stored.sequence == entry.sequence else {
                throw .store(.ledger("log entry \(entry.sequence) is not the stored record"))
            }
            return DecodedRecord(stored: stored, envelope: entry.envelope, record: entry.record)
        }
    }

    /// The days `from`…`until` (China Standard Time) as Unix seconds.
    static func window(from: String?, until: String?) throws(ServiceError) -> ClosedRange<Int64>? {
        guard from != nil || until != nil else { return nil }
        let start: CalendarDate, end: CalendarDate
        do {
            start = try CalendarDate(from ?? "1970-01-01", field: "from")
            end = try CalendarDate(until ?? "9999-12-31", field: "until")
        } catch { throw .record(error) }
        guard start <= end else { throw .invalidArgument(.untilBeforeFromDates, ["until": until ?? "", "from": from ?? ""]) }
        let offset = 8 * 3600
        return Int64(start.dayNumber * 86_400 - offset)...Int64((end.dayNumber + 1) * 86_400 - offset - 1)
    }

    static func time(of decoded: DecodedRecord) -> Int64 {
        if case .event(let event) = decoded.record { return event.time.instant.seconds }
        return decoded.stored.recordedAt
    }

    /// The parties a record names: owner, actor, shipper, receiver, carrier, laboratory.
    static func parties(in record: Record) -> Set<String> {
        switch record {
        case .batch(let batch): return [batch.owner.rawValue]
        case .event(let event):
            var ids: Set<String> = [event.actor.rawValue]
            switch event.data {
            case .shipping(let from, let to, let carrier, _, _): ids.formUnion([from.rawValue, to.rawValue, carrier.rawValue])
            case .receiving(let from, _, _): ids.insert(from.rawValue)
            case .inspection(let laboratory, _, _, _): ids.insert(laboratory.rawValue)
            default: break
            }
            return ids
        default: return []
        }
    }
}

/// Subject codes by party id, each party's record read once per document. One
/// document is built on one thread, so the cache needs no lock.
final class SubjectCodes: @unchecked Sendable {
    private let records: any RecordStore
    private var codes: [String: String] = [:]

    init(records: any RecordStore) { self.records = records }

    func code(of partyID: String) throws(ServiceError) -> String {
        if let code = codes[partyID] { return code }
        let stored = try ServiceError.reading { try records.partyRecord(id: partyID) }
        var code = partyID
        if let stored, case .party(let party) = try RecordReader.decode(stored).record {
            code = NationalDocument.subjectCode(party)
        }
        codes[partyID] = code
        return code
    }
}
