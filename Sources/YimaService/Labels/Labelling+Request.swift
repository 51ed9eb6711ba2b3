import Foundation
import YimaCodes
import YimaCrypto
import YimaLabels
import YimaRecords
import YimaStore

/// A label file made for a signed request, in memory.
public struct LabelFile: Sendable {
    public let bytes: [UInt8]
    public let format: LabelOutputFormat
    /// `GTIN-LOT.pdf` (`.zpl`, `.tspl`).
    public let fileName: String
    public let count: Int
}

extension Labelling {
    /// Most labels one request may print (docs/api.md §Labels for the batch owner).
    public static let maximumRequestedLabels = 10_000
    static let requestMembers: Set<String> = ["batch", "format", "template", "sheet", "dpi", "base"]

    /// Prints a batch's unit labels for a request signed by the batch owner's
    /// registered key (docs/api.md §Labels for the batch owner): the signature, the
    /// request's freshness, the key's status and the batch's ownership are checked,
    /// then the nonce is remembered and the labels made as `printUnitLabels` makes
    /// them, in a scratch folder that is removed afterwards.
    ///
    /// - Parameters:
    ///   - templates: the folder holding `labels/` (as `yima labels --templates`).
    ///   - base: the resolver base printed in the QR codes when the request names none.
    public func printRequested(_ envelope: Envelope, templates: String, base: ResolverBase) throws(ServiceError) -> LabelFile {
        let now = recording.clock.now()
        let registry = try recording.registry.keyRegistry().registry
        guard let entry = registry.keys[envelope.keyID], let signer = registry.party(forKey: envelope.keyID) else {
            throw .request(RequestRefusal(.unknownKey, .keyNotRegistered, ["key": envelope.keyID]))
        }
        let request: SignedRequest
        do {
            try SignedRequest.requireSignature(envelope, by: entry.key.key)
            request = try SignedRequest(envelope, kind: "label_request")
            try request.requireFresh(now: now)
            try request.requireOnly(Self.requestMembers)
        } catch { throw .request(error) }
        let status = registry.status(of: envelope.keyID, signedAt: now, newSignature: true)
        guard status.isValid else {
            throw .request(RequestRefusal(.keyNotValid, zh: status.message(keyID: envelope.keyID.hex, in: .chinese),
                                          en: status.message(keyID: envelope.keyID.hex, in: .english)))
        }
        let options: LabelOptions
        do { options = try LabelOptions(request, defaultBase: base) } catch { throw .request(error) }

        guard let state = try reader.batch(options.batch) else {
            throw .request(RequestRefusal(.unknownBatch, .unknownBatch, ["batch": options.batch.key]))
        }
        guard state.owner == signer.id.rawValue else {
            throw .request(RequestRefusal(.notBatchOwner, .notBatchOwner, ["owner": state.owner, "signer": signer.id]))
        }
        guard state.unitCount > 0 else {
            throw .request(RequestRefusal(.noCodes, .batchNoCodes, ["batch": state.key]))
        }
        guard state.unitCount <= Self.maximumRequestedLabels else {
            throw .request(RequestRefusal(.tooManyLabels(limit: Self.maximumRequestedLabels), .tooManyLabels,
                                          ["batch": state.key, "count": state.unitCount, "limit": Self.maximumRequestedLabels]))
        }
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("yima-labels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = (scratch as NSString).appendingPathComponent("out")
        let labelRequest = LabelRequest(template: options.template, templatesDirectory: (templates as NSString).appendingPathComponent("labels"),
                                        format: options.format, dpi: options.dpi, sheet: options.sheet ? LabelSheet() : nil,
                                        base: options.base, outputDirectory: output)
        do { _ = try labelRequest.loadTemplate(for: [.unit]) } catch {
            throw .request(RequestRefusal(.unknownTemplate, zh: error.message(in: .chinese), en: error.message(in: .english)))
        }
        try request.useNonce(nonces, now: now)
        do { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true) } catch {
            throw .output(.cannotCreate, ["path": scratch])
        }
        let summary = try printUnitLabels(batch: options.batch, request: labelRequest)
        guard let file = summary.file, let data = FileManager.default.contents(atPath: file) else {
            throw .output(.writeFailed, ["path": summary.directory])
        }
        let suffix = options.format.rawValue
        return LabelFile(bytes: Array(data), format: options.format, fileName: "\(state.gtin)-\(state.lot).\(suffix)", count: summary.count)
    }
}

/// The members of a label request, checked (docs/api.md §Labels for the batch owner).
struct LabelOptions {
    let batch: BatchReference
    let format: LabelOutputFormat
    let template: String
    let sheet: Bool
    let dpi: Int
    let base: ResolverBase

    init(_ request: SignedRequest, defaultBase: ResolverBase) throws(RequestRefusal) {
        guard let batchValue = request.members["batch"] else {
            throw RequestRefusal(.malformed(field: "batch"), .requestMissing, ["field": "batch"])
        }
        guard case .object(let batchFields) = batchValue, batchFields.count == 2,
              case .string(let gtin)? = batchFields["gtin"], case .string(let lot)? = batchFields["lot"] else {
            throw RequestRefusal(.malformed(field: "batch"), .requestFieldType, ["field": "batch", "type": "{\"gtin\",\"lot\"}"])
        }
        do { batch = BatchReference(gtin: try GTIN(gtin, field: "batch.gtin"), lot: try Lot(lot, field: "batch.lot")) } catch {
            throw RequestRefusal(.malformed(field: error.field), zh: error.message(in: .chinese), en: error.message(in: .english))
        }
        guard let format = LabelOutputFormat(rawValue: try request.string("format")), [.pdf, .zpl, .tspl].contains(format) else {
            throw RequestRefusal(.malformed(field: "format"), .labelFormatUnknown)
        }
        self.format = format
        template = try request.string("template")
        guard (1...64).contains(template.utf8.count), template.utf8.allSatisfy({ byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }) else { throw RequestRefusal(.malformed(field: "template"), .labelTemplateName) }
        switch request.members["sheet"] {
        case nil: sheet = false
        case .bool(let value)?: sheet = value
        default: throw RequestRefusal(.malformed(field: "sheet"), .requestFieldType, ["field": "sheet", "type": "boolean"])
        }
        guard !sheet || format == .pdf else { throw RequestRefusal(.malformed(field: "sheet"), .labelSheetOnlyPDF) }
        switch request.members["dpi"] {
        case nil: dpi = 203
        case .integer(let value)? where (150...600).contains(value): dpi = Int(value)
        default: throw RequestRefusal(.malformed(field: "dpi"), .labelDPIRange)
        }
        if request.members["base"] == nil {
            base = defaultBase
        } else {
            do { base = try ResolverBase(try request.string("base")) } catch let error as RequestRefusal { throw error } catch {
                throw RequestRefusal(.malformed(field: "base"), zh: error.message(in: .chinese), en: error.message(in: .english))
            }
        }
    }
}
