import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords

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
    /// What one unit holds (a quantity, `{"unit":"KGM","value":"5"}`), recorded as the
    /// issuance's `unit_quantity` so the mass balance counts the units in that measure.
    public var unitQuantity: JSONValue?

    public init(key: PrivateKey, base: ResolverBase, gtin: String, lot: String, count: Int,
                outputDirectory: String, formats: Set<LabelFormat> = [.txt],
                errorCorrection: QRErrorCorrection = .Q, moduleSize: Int = 8, unitQuantity: JSONValue? = nil) {
        self.key = key
        self.base = base
        self.gtin = gtin
        self.lot = lot
        self.count = count
        self.outputDirectory = outputDirectory
        self.formats = formats
        self.errorCorrection = errorCorrection
        self.moduleSize = moduleSize
        self.unitQuantity = unitQuantity
    }
}

extension IssueRequest {
    func validateCount() throws(ServiceError) {
        guard (1...CodeIssuance.maximumCount).contains(count) else {
            throw .invalidArgument(.countRange, ["maximum": CodeIssuance.maximumCount])
        }
    }
}

public struct IssueSummary: Sendable {
    public let count: Int
    public let directory: String
    public let codesFile: String
    /// The QR version of the first code (all codes of a batch have the same length).
    public let qrVersion: Int
    public let seconds: Double

    public init(count: Int, directory: String, codesFile: String, qrVersion: Int, seconds: Double) {
        self.count = count
        self.directory = directory
        self.codesFile = codesFile
        self.qrVersion = qrVersion
        self.seconds = seconds
    }
}

/// Issues signed unit codes and their labels ("one product, one code").
///
/// Work is streamed in windows (`UnitMinter`): each window's serials are drawn,
/// signed and rendered on every core, then appended to codes.txt, so memory stays
/// flat however large the batch. Output appears all at once or not at all: everything is written
/// into a staging folder beside the target and renamed into place at the end.
public enum CodeIssuance {
    public static let maximumCount = 10_000_000

    public static func run(_ request: IssueRequest,
                           progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(ServiceError) -> IssueSummary {
        let started = Date()
        do { try UnitCodeIssuer.validate(gtin: request.gtin, lot: request.lot) } catch { throw .code(error) }
        try request.validateCount()
        let staging = try OutputDirectory.stage(request.outputDirectory)
        do {
            let minter = try UnitMinter(request, directory: staging, collectRows: false, progress: progress)
            try minter.run()
            let version = minter.qrVersion
            try OutputDirectory.commit(staging, to: request.outputDirectory)
            return IssueSummary(count: minter.done, directory: request.outputDirectory,
                                codesFile: (request.outputDirectory as NSString).appendingPathComponent("codes.txt"),
                                qrVersion: version, seconds: Date().timeIntervalSince(started))
        } catch {
            OutputDirectory.discard(staging)
            throw ServiceError.wrap(error)
        }
    }
}
