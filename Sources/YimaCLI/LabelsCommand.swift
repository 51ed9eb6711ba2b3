import ArgumentParser
import Foundation
import YimaCodes
import YimaLabels
import YimaRecords
import YimaService
import YimaText

/// `yima labels`: print a batch's unit labels, or a carton or pallet label.
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Print labels from templates: SVG, PNG, PDF, ZPL, TSPL (打印标签).",
        discussion: "Templates live in templates/labels (docs/labels.md). Output appears whole or not at all.",
        subcommands: [UnitLabelsCommand.self, ContainerLabelsCommand.self, TemplatesCommand.self],
        defaultSubcommand: UnitLabelsCommand.self)
}

/// Options every label command shares.
struct LabelOptions: ParsableArguments {
    @Option(help: "Template name in the templates folder (see `yima labels templates`).")
    var template: String
    @Option(help: "Output: svg, png, pdf, zpl or tspl.")
    var format: String = "pdf"
    @Option(help: "Printer resolution in dots per inch: QR modules land on whole dots (203 or 300 for thermal printers).")
    var dpi: Int = 203
    @Flag(help: "PDF only: A4 sheets with a grid of labels instead of a page per label.")
    var sheet = false
    @Option(help: "Folder of label templates (default: $YIMA_TEMPLATES/labels, else templates/labels in the working folder or above the executable).")
    var templates: String?
    @Option(help: "Resolver base URL printed in QR codes. Default: YIMA_BASE_URL or http://127.0.0.1:8080.")
    var baseURL: String?
    @Option(help: "Output folder (must not exist, or be empty).")
    var out: String
    @OptionGroup var data: DataOptions
    @Flag(help: "Print the summary as JSON.")
    var json = false
    @OptionGroup var global: GlobalOptions

    /// Runs the labelling use case over the data folder and prints its summary, or its
    /// refusal (exit 1, or the `Failure`'s status).
    func run(_ body: (Labelling, LabelRequest) throws -> (LabelSummary, eventID: String?)) throws {
        let language = global.language
        try Console.run {
            do {
                let (summary, eventID) = try body(try data.useCases().labelling, try request())
                LabelReport.print(summary, json: json, language: language, eventID: eventID)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw ServiceError.wrap(error).failure(language)
            }
        }
    }

    func request() throws -> LabelRequest {
        let base = try ResolverBase(baseURL ?? ProcessInfo.processInfo.environment["YIMA_BASE_URL"] ?? "http://127.0.0.1:8080")
        return LabelRequest(template: template, templatesDirectory: TemplateFolder.labels(templates),
                            format: try LabelOutputFormat.parse(format), dpi: dpi, sheet: sheet ? LabelSheet() : nil,
                            base: base, outputDirectory: out)
    }
}

struct UnitLabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "A label for every code issued for a batch (the default: `yima labels --batch …`).")

    @Option(help: "The batch, GTIN/LOT.")
    var batch: String
    @OptionGroup var options: LabelOptions

    func run() throws {
        let label = options.global.language == .chinese ? "标签" : "labels"
        try options.run { labelling, request in
            (try labelling.printUnitLabels(batch: BatchReference(key: batch), request: request, progress: Console.progress(label)), nil)
        }
    }
}

struct ContainerLabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "A carton or pallet label for an SSCC; with --units or --cartons and --key, records the packing too.")

    @Option(help: "The container's SSCC (18 digits, GS1 check digit).")
    var sscc: String
    @Option(help: "The batch, GTIN/LOT, whose product and lot the label shows.")
    var batch: String
    @Option(help: "Pack these unit serials into the SSCC now (comma-separated, or @FILE with one per line).")
    var units: String?
    @Option(help: "Pack these carton SSCCs onto the pallet now (comma-separated, or @FILE).")
    var cartons: String?
    @Option(help: "The packer's private key, to sign the packing event.")
    var key: String?
    @Option(help: "Passphrase file for an encrypted key.")
    var passphraseFile: String?
    @OptionGroup var options: LabelOptions

    func run() throws {
        let zh = options.global.language == .chinese
        try options.run { labelling, request in
            guard units == nil || cartons == nil else {
                throw Failure(message: zh ? "--units 和 --cartons 只能给一个" : "give --units or --cartons, not both", status: 64)
            }
            let contents: PackingContents?
            if let units {
                contents = .units(try list(units).map { try Serial($0, field: "units") })
            } else if let cartons {
                contents = .cartons(try list(cartons).map { try SSCC($0, field: "cartons") })
            } else {
                contents = nil
            }
            guard contents == nil || key != nil else {
                throw Failure(message: zh ? "记录装箱需要 --key" : "recording the packing needs --key", status: 64)
            }
            let signingKey = try key.map { try KeyGeneration.loadPrivateKey($0, passphraseFile: passphraseFile) }
            return try labelling.printContainerLabel(
                ContainerLabel(sscc: sscc, batch: BatchReference(key: batch), contents: contents, key: signingKey), request: request)
        }
    }

    private func list(_ text: String) throws -> [String] {
        let raw = text.hasPrefix("@") ? try String(contentsOfFile: String(text.dropFirst()), encoding: .utf8) : text
        return raw.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "templates", abstract: "List the label templates and check each one.")

    @Option(help: "Folder of label templates.")
    var templates: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let folder = TemplateFolder.labels(templates)
        var broken = 0
        for name in LabelTemplate.available(in: folder) {
            do {
                let template = try LabelTemplate.load(name, from: folder)
                let layout = template.layout
                Swift.print("\(name)\t\(layout.kind.rawValue)\t\(String(format: "%g×%g mm", layout.widthMM, layout.heightMM))\t\(layout.description ?? "")")
            } catch {
                broken += 1
                Console.error(error.message(in: global.language))
            }
        }
        if broken > 0 { throw ExitCode(1) }
    }
}

enum LabelReport {
    static func print(_ summary: LabelSummary, json: Bool, language: Language, eventID: String? = nil) {
        if json {
            var object: [String: Any] = ["count": summary.count, "directory": summary.directory, "template": summary.template,
                                         "qrVersion": summary.qrVersion, "moduleMM": summary.moduleMM, "seconds": summary.seconds]
            if let file = summary.file { object["file"] = file }
            if let eventID { object["eventId"] = eventID }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]) {
                Swift.print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let rate = Int(Double(summary.count) / max(summary.seconds, 1e-9))
        let module = String(format: "%.3f", summary.moduleMM)
        let target = summary.file ?? summary.directory
        Swift.print(language == .chinese
            ? "已生成 \(summary.count) 张标签（模板 \(summary.template)，QR 版本 \(summary.qrVersion)，模块 \(module) 毫米，每秒 \(rate) 张）→ \(target)"
            : "made \(summary.count) labels (template \(summary.template), QR version \(summary.qrVersion), modules of \(module) mm, \(rate)/s) → \(target)")
        if let eventID {
            Swift.print(language == .chinese ? "已记录装箱事件 \(eventID)" : "recorded packing event \(eventID)")
        }
    }
}
