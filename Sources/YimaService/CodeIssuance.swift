import Foundation
import Synchronization
import YimaCodes
import YimaCrypto

/// What to issue: `count` signed unit codes for one GTIN and lot.
public struct IssueRequest: Sendable {
    public var key: PrivateKey
    public var base: ResolverBase
    public var gtin: String
    public var lot: String
    public var count: Int
    public var outputDirectory: String
    public var formats: Set<LabelFormat>
    public var errorCorrection: QRErrorCorrection
    /// Pixels per QR module in PNG labels.
    public var moduleSize: Int

    public init(key: PrivateKey, base: ResolverBase, gtin: String, lot: String, count: Int,
                outputDirectory: String, formats: Set<LabelFormat> = [.txt],
                errorCorrection: QRErrorCorrection = .Q, moduleSize: Int = 8) {
        self.key = key
        self.base = base
        self.gtin = gtin
        self.lot = lot
        self.count = count
        self.outputDirectory = outputDirectory
        self.formats = formats
        self.errorCorrection = errorCorrection
        self.moduleSize = moduleSize
    }
}

public struct IssueSummary: Sendable {
    public let count: Int
    public let directory: String
    public let codesFile: String
    /// The QR version of the first code (all codes of a batch have the same length).
    public let qrVersion: Int
    public let seconds: Double
}

/// Issues signed unit codes and their labels ("one product, one code").
///
/// Work is streamed in windows: each window's serials are drawn in order, signed and
/// rendered on every core, then appended to codes.txt, so memory stays flat however
/// large the batch. Output appears all at once or not at all: everything is written
/// into a staging folder beside the target and renamed into place at the end.
public enum CodeIssuance {
    public static let maximumCount = 10_000_000
    static let window = 16_384

    public static func run(_ request: IssueRequest,
                           progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(ServiceError) -> IssueSummary {
        let started = Date()
        do { try UnitCodeIssuer.validate(gtin: request.gtin, lot: request.lot) } catch { throw .code(error) }
        guard (1...maximumCount).contains(request.count) else {
            throw .invalidArgument("count must be between 1 and \(maximumCount)", zh: "数量必须在 1 到 \(maximumCount) 之间")
        }
        let staging = try OutputDirectory.stage(request.outputDirectory)
        do {
            let version = try issue(request, into: staging, progress: progress)
            try OutputDirectory.commit(staging, to: request.outputDirectory)
            return IssueSummary(count: request.count, directory: request.outputDirectory,
                                codesFile: (request.outputDirectory as NSString).appendingPathComponent("codes.txt"),
                                qrVersion: version, seconds: Date().timeIntervalSince(started))
        } catch {
            OutputDirectory.discard(staging)
            throw ServiceError.wrap(error)
        }
    }

    private static func issue(_ request: IssueRequest, into directory: String,
                              progress: (Int, Int) -> Void) throws -> Int {
        let issuer = UnitCodeIssuer(key: request.key, base: request.base)
        let codesPath = (directory as NSString).appendingPathComponent("codes.txt")
        guard let codesFile = fopen(codesPath, "wx") else {
            throw ServiceError.output("cannot create \(codesPath): \(String(cString: strerror(errno)))",
                                      zh: "无法创建 \(codesPath)")
        }
        defer { fclose(codesFile) }
        // Serials are drawn on the workers; one shared set keeps them unique in the batch.
        let seen = Mutex(Set<UInt64>(minimumCapacity: request.count))
        var firstVersion = 0
        var done = 0
        let slices = max(1, ParallelMap.cores * 8)
        while done < request.count {
            let size = min(window, request.count - done)
            let sliceSizes = (0..<slices).map { size * ($0 + 1) / slices - size * $0 / slices }.filter { $0 > 0 }
            let texts = try ParallelMap.run(sliceSizes, context: {
                try UnitCodeBatchSigner(issuer: issuer, gtin: request.gtin, lot: request.lot)
            }) { signer, count in
                var text = [UInt8]()
                text.reserveCapacity(count * 256)
                var issued = 0
                while issued < count {
                    for value in UnitCodeAlphabet.randomSerialValues(count - issued)
                    where seen.withLock({ $0.insert(value).inserted }) {
                        let serial = UnitCodeAlphabet.serial(from: value)
                        let uri = try signer.issue(serial: serial)
                        try writeLabels(uri, serial: serial, request: request, directory: directory)
                        text += uri.utf8
                        text.append(UInt8(ascii: "\n"))
                        issued += 1
                    }
                }
                return text
            }
            if firstVersion == 0, let firstLine = texts.first?.split(separator: UInt8(ascii: "\n")).first {
                firstVersion = try QRMatrix.encode(String(decoding: firstLine, as: UTF8.self),
                                                   errorCorrection: request.errorCorrection).version
            }
            for text in texts where fwrite(text, 1, text.count, codesFile) != text.count {
                throw ServiceError.output("cannot write \(codesPath): \(String(cString: strerror(errno)))",
                                          zh: "写入 \(codesPath) 失败")
            }
            done += size
            progress(done, request.count)
        }
        guard fflush(codesFile) == 0, fsync(fileno(codesFile)) == 0 else {
            throw ServiceError.output("cannot write \(codesPath): \(String(cString: strerror(errno)))", zh: "写入 \(codesPath) 失败")
        }
        return firstVersion
    }

    private static func writeLabels(_ uri: String, serial: String, request: IssueRequest, directory: String) throws {
        guard request.formats.contains(.svg) || request.formats.contains(.png) else { return }
        let matrix = try QRMatrix.encode(uri, errorCorrection: request.errorCorrection)
        let base = (directory as NSString).appendingPathComponent(serial)
        if request.formats.contains(.svg) {
            try OutputDirectory.write(matrix.svgBytes(), to: base + ".svg")
        }
        if request.formats.contains(.png) {
            try OutputDirectory.write(matrix.png(moduleSize: request.moduleSize), to: base + ".png")
        }
    }
}
