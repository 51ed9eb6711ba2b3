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
    public var batchKey: String
    /// Unit serials (a carton) or carton SSCCs (a pallet) to pack now; nil to print what the store already holds.
    public var contents: PackingContents?
    /// Signs the packing event; required with `contents`.
    public var key: PrivateKey?

    public init(sscc: String, batchKey: String, contents: PackingContents? = nil, key: PrivateKey? = nil) {
        self.sscc = sscc
        self.batchKey = batchKey
        self.contents = contents
        self.key = key
    }
}

/// What a carton or pallet holds: unit Digital Link paths (`/01/…/10/…/21/…`) or carton
/// SSCCs, and the SSCC of the pallet it is on.
public struct ContainerContents: Sendable, Equatable {
    public let sscc: String
    public let units: [String]
    public let cartons: [String]
    public let container: String?
}

extension TraceService {
    /// Prints a label for every unit code issued for a stored batch (docs/labels.md): the
    /// batch's product, producer, origin, lot and harvest date, each unit's signed code as
    /// QR and its short code. Units are read from the store a page at a time and labels
    /// streamed into the output, so memory stays flat for any batch size; the output
    /// folder appears whole or not at all.
    public func printUnitLabels(batchKey: String, request: LabelRequest,
                                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> LabelSummary {
        guard let state = try lookup({ try store.batch(key: batchKey) }) else {
            throw .notFound("unknown batch \(batchKey)", zh: "未知批次 \(batchKey)")
        }
        guard state.unitCount > 0 else {
            throw .notFound("batch \(batchKey) has no issued codes; run `yima issue --batch \(batchKey)` first",
                            zh: "批次 \(batchKey) 还没有签发码，请先运行 yima issue --batch \(batchKey)")
        }
        let template = try request.loadTemplate(for: [.unit])
        var fields = try labelFields(state)
        let run = try LabelRun(request, template: template)
        do {
            let stem = request.base.description
            var after: String?
            var done = 0
            while true {
                let page = try lookup { try store.units(gtin: state.gtin, lot: state.lot, after: after, limit: 1024) }
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
        guard let state = try lookup({ try store.batch(key: container.batchKey) }) else {
            throw .notFound("unknown batch \(container.batchKey)", zh: "未知批次 \(container.batchKey)")
        }
        let template = try request.loadTemplate(for: [.carton, .pallet])

        var envelope: Envelope?
        let count: String
        if let contents = container.contents {
            guard let key = container.key else {
                throw .invalidArgument("recording the packing needs the packer's --key", zh: "记录装箱事件需要装箱主体的 --key")
            }
            switch (contents, template.layout.kind) {
            case (.units, .pallet), (.cartons, .carton):
                throw .invalidArgument("template \(template.name) is a \(template.layout.kind.rawValue) label: cartons hold units (--units), pallets hold cartons (--cartons)",
                                       zh: "模板 \(template.name) 是\(template.layout.kind == .carton ? "箱" : "托盘")标签：箱内装单品（--units），托盘上放箱（--cartons）")
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
                "time": .string(Self.timestamp(now())),
                "data": .object(data),
            ])
            let signed = try sign(draft: draft, kind: .event, key: key)
            // Every check `submit` makes, before anything is drawn.
            _ = try accept(signed)
            envelope = signed
        } else {
            let packed = try lookup { try store.contents(of: sscc.rawValue) }
            guard !packed.isEmpty else {
                throw .notFound("nothing is packed into SSCC \(sscc.rawValue) in this store; give its contents and --key to record the packing",
                                zh: "数据库中 SSCC \(sscc.rawValue) 内没有装箱记录；请给出装箱内容和 --key 以记录装箱")
            }
            let units = packed.filter { $0.contains("/") }.count
            count = units == packed.count ? "\(units) 件" : "\(packed.count) 箱"
        }

        var fields = try labelFields(state)
        fields[.sscc] = "(00) \(sscc.rawValue)"
        fields[.count] = count
        let run = try LabelRun(request, template: template)
        do {
            try run.add([(LabelContent(code: "\(request.base)/00/\(sscc.rawValue)", fields: fields), sscc.rawValue)])
            var eventID: String?
            if let envelope {
                eventID = Hex.encode(try submit(envelope).id)
            }
            return (try run.commit(to: request.outputDirectory), eventID)
        } catch {
            run.discard()
            throw ServiceError.wrap(error)
        }
    }

    /// The unit behind a typed short code (docs/labels.md §Short code), with its code as
    /// printed under `base`; nil when no issued unit has that serial.
    public func resolve(_ shortCode: ShortCode, base: ResolverBase) throws(ServiceError) -> [UnitCode] {
        try lookup { try store.units(serial: shortCode.serial) }.compactMap { $0.code(stem: base.description) }
    }

    /// What a carton or pallet holds, as the store's packing events recorded it, and what
    /// it was itself packed onto; nil when the store knows nothing of the SSCC.
    public func container(_ sscc: SSCC) throws(ServiceError) -> ContainerContents? {
        let children = try lookup { try store.contents(of: sscc.rawValue) }
        let parent = try lookup { try store.container(of: sscc.rawValue) }
        guard !children.isEmpty || parent != nil else { return nil }
        // Units are stored as GTIN/LOT/SERIAL, cartons as their SSCC.
        let units = children.compactMap { child -> String? in
            let parts = child.split(separator: "/")
            return parts.count == 3 ? "/01/\(parts[0])/10/\(parts[1])/21/\(parts[2])" : nil
        }
        return ContainerContents(sscc: sscc.rawValue, units: units, cartons: children.filter { !$0.contains("/") }, container: parent)
    }

    /// What a batch's labels say besides the codes: product, producer, origin, lot, GTIN,
    /// and the latest harvest date (the season when no harvest is recorded).
    func labelFields(_ state: BatchState) throws(ServiceError) -> [LabelField: String] {
        let records = try history(state)
        guard case .batch(let batch)? = records.first?.record else {
            throw .store(.database("batch \(state.key) has no batch record"))
        }
        var fields: [LabelField: String] = [.lot: state.lot, .gtin: state.gtin, .origin: batch.origin.place, .date: batch.season]
        if case .product(let product)? = try product(gtin: state.gtin)?.record {
            fields[.product] = product.name
        }
        if let stored = try lookup({ try store.partyRecord(id: state.owner) }) {
            fields[.producer] = try partyOf(stored).name
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

extension StoredUnit {
    /// The code as printed under `stem` (the stem is not signed; docs/code-format.md).
    func code(stem: String) -> UnitCode? {
        KeyID(hex: keyID).map { UnitCode(stem: stem, gtin: gtin, lot: lot, serial: serial, keyHint: $0.short, signature: signature) }
    }
}
