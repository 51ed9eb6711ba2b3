import Foundation

/// Writes rendered labels into a folder in one format, streaming: SVG and PNG as a file
/// per label, PDF page by page, ZPL and TSPL as one job file appended label by label.
/// The caller owns the folder (it stages it, and discards it on failure).
public final class LabelOutput {
    public let format: LabelOutputFormat
    public let directory: String
    public let template: LabelTemplate
    public let dpi: Int
    private let rasterizer: LabelRasterizer
    private var pdf: PDFDocument?
    private var job: UnsafeMutablePointer<FILE>?
    private var sheetCells: [(x: Double, y: Double)] = []
    private var sheet: LabelSheet?
    private var onPage = 0
    public private(set) var count = 0
    /// The gap between labels on a roll, for TSPL's GAP command.
    public var gapMM = 2.0

    /// The file a PDF, ZPL or TSPL job goes into, inside the folder.
    public var jobFile: String? {
        switch format {
        case .svg, .png: nil
        case .pdf: (directory as NSString).appendingPathComponent(sheet == nil ? "labels.pdf" : "sheets-a4.pdf")
        case .zpl: (directory as NSString).appendingPathComponent("labels.zpl")
        case .tspl: (directory as NSString).appendingPathComponent("labels.tspl")
        }
    }

    /// - Parameter sheet: for PDF, lay labels out on A4 sheets instead of a page per label.
    public init(format: LabelOutputFormat, directory: String, template: LabelTemplate, dpi: Int, sheet: LabelSheet? = nil) throws(LabelError) {
        guard sheet == nil || format == .pdf else {
            throw LabelError(.sheetOnlyPDF)
        }
        self.format = format
        self.directory = directory
        self.template = template
        self.dpi = dpi
        self.sheet = sheet
        rasterizer = LabelRasterizer(dpi: dpi)
        let layout = template.layout
        switch format {
        case .pdf:
            if let sheet {
                sheetCells = try sheet.cells(labelWidthMM: layout.widthMM, labelHeightMM: layout.heightMM, dpi: dpi, template: template.name)
                pdf = try PDFDocument(path: jobFile!, widthMM: LabelSheet.a4WidthMM, heightMM: LabelSheet.a4HeightMM, title: "Yima labels \(template.name)")
            } else {
                pdf = try PDFDocument(path: jobFile!, widthMM: layout.widthMM, heightMM: layout.heightMM, title: "Yima labels \(template.name)")
            }
        case .zpl, .tspl:
            guard let file = fopen(jobFile!, "wbx") else { throw Self.writeError(jobFile!) }
            job = file
        case .svg, .png:
            break
        }
    }

    deinit { if let job { fclose(job) } }

    /// Whether labels can be encoded apart, on other threads (``encode(_:as:rasterizer:template:gapMM:)``),
    /// and handed over with ``add(encoded:name:)``: every format but PDF, whose pages share one cairo surface.
    public var encodesApart: Bool { format != .pdf }

    /// Adds one label; `name` names its file in the per-label formats (a serial or an SSCC).
    public func add(_ label: RenderedLabel, name: String) throws(LabelError) {
        guard format == .pdf else {
            return try add(encoded: Self.encode(label, as: format, rasterizer: rasterizer, template: template.name, gapMM: gapMM), name: name)
        }
        if sheet == nil {
            try pdf!.draw(label, xMM: 0, yMM: 0, template: template.name)
            try pdf!.endPage()
        } else {
            let cell = sheetCells[onPage]
            try pdf!.draw(label, xMM: cell.x, yMM: cell.y, template: template.name)
            onPage += 1
            if onPage == sheetCells.count {
                try pdf!.endPage()
                onPage = 0
            }
        }
        count += 1
    }

    /// The bytes one label adds in `format` (not PDF): an SVG or PNG file, or a ZPL or TSPL block.
    public static func encode(_ label: RenderedLabel, as format: LabelOutputFormat, rasterizer: LabelRasterizer,
                              template: String, gapMM: Double) throws(LabelError) -> [UInt8] {
        switch format {
        case .svg: return Array(label.svg.utf8)
        case .png: return try rasterizer.bitmap(label, template: template).png()
        case .zpl: return ZPLJob.label(try rasterizer.bitmap(label, template: template))
        case .tspl:
            return TSPLJob.label(try rasterizer.bitmap(label, template: template), widthMM: label.widthMM, heightMM: label.heightMM, gapMM: gapMM)
        case .pdf: preconditionFailure("PDF pages are drawn on the document's surface")
        }
    }

    /// Adds a label encoded by ``encode(_:as:rasterizer:template:gapMM:)``.
    public func add(encoded bytes: [UInt8], name: String) throws(LabelError) {
        switch format {
        case .svg, .png: try write(bytes, to: (directory as NSString).appendingPathComponent("\(name).\(format.rawValue)"))
        case .zpl, .tspl: try append(bytes)
        case .pdf: preconditionFailure("PDF pages are drawn on the document's surface")
        }
        count += 1
    }

    /// Ends the last page or job and closes the file.
    public func finish() throws(LabelError) {
        if let pdf {
            if onPage > 0 { try pdf.endPage() }
            try pdf.finish()
        }
        if let job {
            self.job = nil
            guard fclose(job) == 0 else { throw Self.writeError(jobFile!) }
        }
    }

    private func append(_ bytes: [UInt8]) throws(LabelError) {
        guard fwrite(bytes, 1, bytes.count, job) == bytes.count else { throw Self.writeError(jobFile!) }
    }

    private func write(_ bytes: [UInt8], to path: String) throws(LabelError) {
        guard let file = fopen(path, "wbx") else { throw Self.writeError(path) }
        let written = fwrite(bytes, 1, bytes.count, file)
        guard fclose(file) == 0, written == bytes.count else { throw Self.writeError(path) }
    }

    private static func writeError(_ path: String) -> LabelError {
        let reason = String(cString: strerror(errno))
        return LabelError(.cannotWrite, ["path": path, "reason": reason])
    }
}
