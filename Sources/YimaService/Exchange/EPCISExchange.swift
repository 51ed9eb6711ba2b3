import YimaCrypto
import YimaRecords
import YimaStore

/// EPCIS 2.0 in and out (docs/epcis.md): a batch's chain as an EPCISDocument, and
/// an EPCISDocument imported as events signed by the importing party, all or nothing.
public struct EPCISExchange: Sendable {
    let recording: Recording
    let reader: RecordReader

    /// The batch's chain as an EPCISDocument, every eventID its CBV 2.0 event hash.
    public func export(batch reference: BatchReference) throws(ServiceError) -> EPCISJSON {
        let state = try reader.requireBatch(reference)
        let (batch, events) = try Self.chain(try reader.history(state))
        let mapped = EPCISExport(batch: batch, events: events).mapped()
        return EPCISMapping.document(events: mapped, creationDate: RFC3339.utc(recording.clock.now().seconds))
    }

    /// The batch record and its events, in chain order.
    static func chain(_ history: [DecodedRecord]) throws(ServiceError) -> (Batch, [(id: RecordID, event: Event)]) {
        var batch: Batch?
        var events: [(id: RecordID, event: Event)] = []
        for decoded in history {
            switch decoded.record {
            case .batch(let record): batch = record
            case .event(let event): events.append((decoded.envelope.recordID, event))
            default: break
            }
        }
        guard let batch else { throw .store(.database("a batch history without its batch record")) }
        return (batch, events)
    }
}

/// What an import stored.
public struct EPCISImportReport: Sendable {
    /// The stored records with the hash of the EPCIS event each came from.
    public let imported: [(record: StoredRecord, eventHash: String)]
}

extension EPCISExchange {
    /// Imports every event of an EPCIS document as an event signed with `key`
    /// (docs/epcis.md §Import): the document checked against the schema subset and
    /// the mapping (every problem with its JSON path), then each event against this
    /// store (known batch, new hash, ILMD, corrections) and the domain rules, then
    /// all stored in one transaction, or nothing.
    public func importDocument(_ bytes: [UInt8], key: PrivateKey) throws(ServiceError) -> EPCISImportReport {
        let incoming: [EPCISIncoming]
        do { incoming = try EPCISIncoming.read(bytes) } catch { throw Self.failure(error.problems) }
        var accepted: [(record: NewRecord, expectedHead: [UInt8]?)] = []
        var pending: [RecordedEvent] = []
        var hashes: [String] = []
        var chains: [String: ImportedChain] = [:]
        for event in incoming {
            let batchKey = event.batch.key
            if chains[batchKey] == nil {
                guard let state = try reader.batch(event.batch) else {
                    throw Self.failure([.epcisUnknownBatch(at: "\(event.path).quantityList[0].epcClass", batch: batchKey)])
                }
                let (batch, events) = try Self.chain(try reader.history(state))
                chains[batchKey] = ImportedChain(batch: batch, events: events)
            }
            var chain = chains[batchKey]!
            let draft = try chain.draft(for: event)
            do {
                let envelope = try recording.sign(draft: draft, kind: .event, key: key, head: chain.head)
                let result = try recording.accept(envelope, pending: pending)
                guard case .event(let stored) = result.decoded else { continue }
                accepted.append((result.record, result.expectedHead))
                pending.append(RecordedEvent(id: envelope.recordID, event: stored))
                chain.add(id: envelope.recordID, event: stored)
                hashes.append(event.hash)
            } catch {
                throw Self.failure(at: event.path, error)
            }
            chains[batchKey] = chain
        }
        let stored = try ServiceError.reading { try recording.records.appendAll(accepted) }
        return EPCISImportReport(imported: zip(stored, hashes).map { (record: $0.0, eventHash: $0.1) })
    }

    static func failure(_ problems: [RecordError]) -> ServiceError {
        .input(problems.map { $0.message(in: .english) }.joined(separator: "\n"),
               zh: problems.map { $0.message(in: .chinese) }.joined(separator: "\n"))
    }

    static func failure(at path: String, _ error: any Error) -> ServiceError {
        let wrapped = ServiceError.wrap(error)
        return .input("\(path): " + wrapped.message(in: .english), zh: "\(path)：" + wrapped.message(in: .chinese))
    }
}

/// One batch's chain during an import: its events by EPCIS event hash (recorded
/// here or imported: an import of this store's own export is a duplicate too), the
/// last harvest date (for ILMD) and the head new events extend.
struct ImportedChain {
    let batch: Batch
    var head: RecordID?
    /// Events by hash; error declarations (corrections) apart, as they repeat the hash they correct.
    var imported: [String: RecordID] = [:]
    var declared: [String: RecordID] = [:]
    var harvestDate: CalendarDate?

    init(batch: Batch, events: [(id: RecordID, event: Event)]) {
        self.batch = batch
        for ((id, event), mapped) in zip(events, EPCISExport(batch: batch, events: events).mapped()) {
            add(id: id, event: event)
            guard let hash = mapped["eventID"]?.string else { continue }
            if mapped["errorDeclaration"] != nil { declared[hash] = id } else { imported[hash] = id }
        }
    }

    mutating func add(id: RecordID, event: Event) {
        head = id
        if case .harvest(let date, _) = event.data { harvestDate = date }
        guard let hash = event.epcisEventID else { return }
        if event.type == .correction { declared[hash] = id } else { imported[hash] = id }
    }

    /// The Yima event draft for `event`, after the checks only this store can make.
    func draft(for event: EPCISIncoming) throws(ServiceError) -> JSONValue {
        func refuse(_ error: RecordError) -> ServiceError { EPCISExchange.failure([error]) }
        let at = { (field: String) in "\(event.path).\(field)" }
        if let declaration = event.declaration {
            if let record = declared[event.hash] {
                throw refuse(.epcisDuplicate(at: at("eventID"), hash: event.hash, record: record.hex))
            }
            guard let corrects = imported[event.hash] else {
                throw refuse(.epcisUnknownEvent(at: at("eventID"), hash: event.hash))
            }
            var data: [String: JSONValue] = ["corrects": .string(corrects.hex), "reason": .string(declaration.reason)]
            if let corrective = declaration.correctiveEventID {
                guard let replacement = imported[corrective] else {
                    throw refuse(.epcisUnknownEvent(at: at("errorDeclaration.correctiveEventIDs[0]"), hash: corrective))
                }
                data["replacement"] = .string(replacement.hex)
            }
            return .object(["type": "correction", "batch": .object(["gtin": .string(event.batch.gtin.rawValue),
                                                                    "lot": .string(event.batch.lot.rawValue)]),
                            "time": .string(declaration.time), "data": .object(data), "epcis_event_id": .string(event.hash)])
        }
        if let record = imported[event.hash] {
            throw refuse(.epcisDuplicate(at: at("eventID"), hash: event.hash, record: record.hex))
        }
        if event.type == .unitIssuance {
            let expected = EPCISExport(batch: batch, events: []).ilmd(harvestDate: harvestDate)
            if event.ilmd.map({ EventHash.preHashString(of: .object([.init("ilmd", $0)]), prefixes: EPCISMapping.declaredPrefixes) })
                != EventHash.preHashString(of: .object([.init("ilmd", expected)]), prefixes: EPCISMapping.declaredPrefixes) {
                let text = String(decoding: expected.serialized(indent: false), as: UTF8.self)
                throw refuse(.epcisNotDerived(at: at("ilmd"), expected: text))
            }
        }
        return event.draft(data: event.data)
    }
}
