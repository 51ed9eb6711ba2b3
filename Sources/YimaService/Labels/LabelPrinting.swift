import Foundation
import YimaCodes
import YimaLabels

/// How to print labels: which template from which folder, in what format, for which
/// printer resolution, into which folder (created whole or not at all).
public struct LabelRequest: Sendable {
    public var template: String
    public var templatesDirectory: String
    public var format: LabelOutputFormat
    /// The printer's resolution: QR modules land on whole dots of it.
    public var dpi: Int
    /// For PDF: A4 sheets of labels instead of a page per label.
    public var sheet: LabelSheet?
    /// Where codes resolve, as printed in the QR (unit codes and SSCC Digital Links).
    public var base: ResolverBase
    public var outputDirectory: String

    public init(template: String, templatesDirectory: String, format: LabelOutputFormat, dpi: Int = 203,
                sheet: LabelSheet? = nil, base: ResolverBase, outputDirectory: String) {
        self.template = template
        self.templatesDirectory = templatesDirectory
        self.format = format
        self.dpi = dpi
        self.sheet = sheet
        self.base = base
        self.outputDirectory = outputDirectory
    }

    /// The template, checked to be for `kinds` of label.
    func loadTemplate(for kinds: Set<LabelLayout.Kind>) throws(ServiceError) -> LabelTemplate {
        let template: LabelTemplate
        do { template = try LabelTemplate.load(self.template, from: templatesDirectory) } catch { throw .label(error) }
        guard kinds.contains(template.layout.kind) else {
            let wanted = kinds.map(\.rawValue).sorted().joined(separator: "/")
            throw .invalidArgument(.templateWrongKind, ["template": template.name, "kind": template.layout.kind.rawValue, "wanted": wanted])
        }
        return template
    }
}

public struct LabelSummary: Sendable {
    public let count: Int
    public let directory: String
    /// The job or PDF file, for formats that write one.
    public let file: String?
    public let template: String
    public let qrVersion: Int
    /// The printed module size, millimetres.
    public let moduleMM: Double
    public let seconds: Double
}

extension ServiceError {
    static func label(_ error: LabelError) -> ServiceError {
        .invalidArgument(error.english, zh: error.chinese)
    }
}

/// A staged label folder: a `LabelOutput` and `labels.csv` (which label is which code)
/// in a hidden folder, renamed into place only when everything is written.
final class LabelRun {
    let output: LabelOutput
    let renderer: LabelRenderer
    let staging: String
    private let manifest: UnsafeMutablePointer<FILE>
    private(set) var qrVersion = 0
    private(set) var moduleMM = 0.0
    let started = Date()

    init(_ request: LabelRequest, template: LabelTemplate) throws(ServiceError) {
        staging = try OutputDirectory.stage(request.outputDirectory)
        do {
            renderer = try LabelRenderer(template: template, dpi: request.dpi)
            output = try LabelOutput(format: request.format, directory: staging, template: template, dpi: request.dpi, sheet: request.sheet)
        } catch {
            OutputDirectory.discard(staging)
            throw .label(error)
        }
        let path = (staging as NSString).appendingPathComponent("labels.csv")
        guard let file = fopen(path, "wx") else {
            OutputDirectory.discard(staging)
            throw .output(.cannotCreate, ["path": path])
        }
        manifest = file
        fputs("label,name,short_code,code\n", manifest)
    }

    deinit { fclose(manifest) }

    /// Renders and writes labels in order; `name` is the serial or SSCC a per-label file is named after.
    /// Formats other than PDF are rendered and rasterised on every core, a window at a time.
    func add(_ labels: [(content: LabelContent, name: String)]) throws(ServiceError) {
        do {
            if output.encodesApart && labels.count > 1 {
                let template = renderer.template, dpi = renderer.dpi, format = output.format, gap = output.gapMM
                let encoded = try ParallelMap.run(labels.map(\.content), context: {
                    (try LabelRenderer(template: template, dpi: dpi), LabelRasterizer(dpi: dpi))
                }) { worker, content in
                    let label = try worker.0.render(content)
                    let bytes = try LabelOutput.encode(label, as: format, rasterizer: worker.1, template: template.name, gapMM: gap)
                    return (bytes, label.matrix.version, label.placement.moduleMM)
                }
                for (index, item) in encoded.enumerated() {
                    (qrVersion, moduleMM) = (item.1, item.2)
                    try output.add(encoded: item.0, name: labels[index].name)
                    note(labels[index].content, name: labels[index].name)
                }
            } else {
                for (content, name) in labels {
                    let label = try renderer.render(content)
                    (qrVersion, moduleMM) = (label.matrix.version, label.placement.moduleMM)
                    try output.add(label, name: name)
                    note(content, name: name)
                }
            }
        } catch {
            throw ServiceError.wrap(error)
        }
    }

    /// The label's line in labels.csv.
    private func note(_ content: LabelContent, name: String) {
        fputs("\(output.count),\(name),\(content.fields[.shortCode] ?? ""),\(content.code)\n", manifest)
    }

    /// Finishes the files and moves the folder into place.
    func commit(to target: String) throws(ServiceError) -> LabelSummary {
        do { try output.finish() } catch { throw .label(error) }
        guard fflush(manifest) == 0 else { throw .output(.writeFailed, ["path": "labels.csv"]) }
        try OutputDirectory.commit(staging, to: target)
        let file = output.jobFile.map { (target as NSString).appendingPathComponent(($0 as NSString).lastPathComponent) }
        return LabelSummary(count: output.count, directory: target, file: file, template: renderer.template.name,
                            qrVersion: qrVersion, moduleMM: moduleMM, seconds: Date().timeIntervalSince(started))
    }

    func discard() {
        OutputDirectory.discard(staging)
    }
}
