import Foundation
import YimaCodes
import YimaCrypto
import YimaLabels
import YimaRecords
import YimaStore

/// A carton or pallet label: the SSCC it carries and, to record the packing at the same
/// time, what goes into it and the key that signs the packing event.
public struct ContainerLabel: Sendable {
    public var sscc: String
    /// The batch whose product and lot the label shows (and whose chain the packing event extends).
    public var batch: BatchReference
    /// Unit serials (a carton) or carton SSCCs (a pallet) to pack now; nil to print what the store already holds.
    public var contents: PackingContents?
    /// Signs the packing event; required with `contents`.
    public var key: PrivateKey?

    public init(sscc: String, batch: BatchReference, contents: PackingContents? = nil, key: PrivateKey? = nil) {
        self.sscc = sscc
        self.batch = batch
        self.contents = contents
        self.key = key
    }
}

/// Label printing (docs/labels.md): unit labels for a batch's issued codes, and
/// carton and pallet labels that can record the packing at the same time.
public struct Labelling: Sendable {
    let recording: Recording
    let reader: RecordReader
    let units: any UnitStore
    /// Nonces of signed label requests (`printRequested`).
    let nonces: any RequestNonceStore

    /// Prints a label for every unit code issued for a stored batch (docs/labels.md): the
    /// batch's product, producer, origin, lot and harvest date, each unit's signed code as
    /// QR and its short code. Units are read from the store a page at a time and labels
    /// streamed into the output, so memory stays flat for any batch size; the output
    /// folder appears whole or not at all.
    public func printUnitLabels(batch reference: BatchReference, request: LabelRequest,
                                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> LabelSummary {
        let batchKey = reference.key
        guard let state = try reader.batch(reference) else {
            throw .notFound(.unknownBatch, ["batch": batchKey])
        }
        guard state.unitCount > 0 else {
            throw .notFound(.batchNoCodes, ["batch": batchKey])
        }
        let template = try request.loadTemplate(for: [.unit])
        var fields = try labelFields(state)
        let run = try LabelRun(request, template: template)
        do {
            let stem = request.base.description
            var after: String?
            var done = 0
            while true {
                let page = try ServiceError.reading { try units.units(gtin: state.gtin, lot: state.lot, after: after, limit: 1024) }
                guard let last = page.last else { break }
                let labels = try page.map { unit throws(ServiceError) in
                    guard let code = unit.code(stem: stem) else { throw ServiceError.store(.database("unit \(unit.serial) has a malformed key id")) }
                    fields[.shortCode] = ShortCode(serial: unit.serial)?.description ?? ""
                    return (LabelContent(code: code.uri, fields: fields), unit.serial)
                }
                try run.add(labels)
                done += page.count
                progress(done, state.unitCount)
                after = last.serial
            }
            return try run.commit(to: request.outputDirectory)
        } catch {
            run.discard()
            throw ServiceError.wrap(error)
        }
    }

    /// Prints a carton or pallet label: the SSCC as a GS1 Digital Link QR (AI 00) and how
    /// many units or cartons it holds. With `contents` and `key`, the packing event is
    /// signed and stored (through `submit`, the one write path) together with the label:
    /// nothing is stored if the label cannot be made, and no label appears if the event is refused.
    /// - Returns: the label summary and the stored packing event's id, if one was recorded.
    public func printContainerLabel(_ container: ContainerLabel, request: LabelRequest) throws(ServiceError) -> (LabelSummary, eventID: String?) {
        let sscc: SSCC
        do { sscc = try SSCC(container.sscc, field: "sscc") } catch { throw .record(error) }
        guard let state = try reader.batch(container.batch) else {
            throw .notFound(.unknownBatch, ["batch": container.batch.key])
        }
        let template = try request.loadTemplate(for: [.carton, .pallet])

        var envelope: Envelope?
        let count: String
        if let contents = container.contents {
            guard let key = container.key else {
                throw .invalidArgument(.packingNeedsKey)
            }
            switch (contents, template.layout.kind) {
            case (.units, .pallet), (.cartons, .carton):
                throw .invalidArgument { language in
                    let kind: ServiceMessage = template.layout.kind == .carton ? .labelKindCarton : .labelKindPallet
                    return ServiceMessage.templateContents.text(in: language, ["template": template.name, "kind": kind.text(in: language)])
                }
            default: break
            }
            let data: [String: JSONValue]
            switch contents {
            case .units(let serials):
                data = ["sscc": .string(sscc.rawValue), "units": .array(serials.map { .string($0.rawValue) })]
                count = "\(serials.count) 件"
            case .cartons(let cartons):
                data = ["sscc": .string(sscc.rawValue), "cartons": .array(cartons.map { .string($0.rawValue) })]
                count = "\(cartons.count) 箱"
            }
            let draft: JSONValue = .object([
                "type": .string(EventType.packing.rawValue),
                "batch": .object(["gtin": .string(state.gtin), "lot": .string(state.lot)]),
                "time": .string(recording.clock.timestamp()),
                "data": .object(data),
            ])
            let signed = try recording.sign(draft: draft, kind: .event, key: key)
            // Every check `submit` makes, before anything is drawn.
            _ = try recording.accept(signed)
            envelope = signed
        } else {
            let packed = try ServiceError.reading { try units.contents(of: sscc.rawValue) }
            guard !packed.isEmpty else {
                throw .notFound(.nothingPacked, ["sscc": sscc.rawValue])
            }
            let unitCount = packed.filter { $0.contains("/") }.count
            count = unitCount == packed.count ? "\(unitCount) 件" : "\(packed.count) 箱"
        }

        var fields = try labelFields(state)
        fields[.sscc] = "(00) \(sscc.rawValue)"
        fields[.count] = count
        let run = try LabelRun(request, template: template)
        do {
            try run.add([(LabelContent(code: "\(request.base)/00/\(sscc.rawValue)", fields: fields), sscc.rawValue)])
            var eventID: String?
            if let envelope {
                eventID = Hex.encode(try recording.submit(envelope).id)
            }
            return (try run.commit(to: request.outputDirectory), eventID)
        } catch {
            run.discard()
            throw ServiceError.wrap(error)
        }
    }

    /// What a batch's labels say besides the codes: product, producer, origin, lot, GTIN,
    /// and the latest harvest date (the season when no harvest is recorded).
    func labelFields(_ state: BatchState) throws(ServiceError) -> [LabelField: String] {
        let records = try reader.history(state)
        guard case .batch(let batch)? = records.first?.record else {
            throw .store(.database("batch \(state.key) has no batch record"))
        }
        var fields: [LabelField: String] = [.lot: state.lot, .gtin: state.gtin, .origin: batch.origin.place, .date: batch.season]
        if case .product(let product)? = try reader.product(gtin: state.gtin)?.record {
            fields[.product] = product.name
        }
        if let owner = try reader.party(id: state.owner) {
            fields[.producer] = owner.party.name
        }
        for decoded in records.reversed() {
            if case .event(let event) = decoded.record, case .harvest(let date, _) = event.data {
                fields[.date] = date.description
                break
            }
        }
        return fields
    }
}
