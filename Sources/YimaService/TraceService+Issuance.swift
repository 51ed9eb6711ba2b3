import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

public struct BatchIssueSummary: Sendable {
    public let batchKey: String
    public let count: Int
    public let eventID: String
    public let directory: String
    public let qrVersion: Int
    public let seconds: Double
}

extension TraceService {
    /// Issues `count` unit codes for a stored batch: a signed unit-issuance event
    /// (GS1 CBV "commissioning") and every code go into the store in ONE transaction,
    /// and codes.txt plus labels into `request.outputDirectory` whole or not at all.
    /// A crash or `kill -9` at any point leaves neither a partial batch nor a reused serial.
    public func issueUnits(batchKey: String, request: IssueRequest,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> BatchIssueSummary {
        let started = Date()
        guard let batch = try lookup({ try store.batch(key: batchKey) }) else {
            throw .rejected(.unknownReference, "unknown batch \(batchKey); create it with `yima batch create`", zh: "未知批次 \(batchKey)，请先运行 yima batch create")
        }
        try request.validateCount()
        let signer = try party(of: request.key)
        guard signer.id.rawValue == batch.owner else {
            throw .rejected(.notAuthorised, "only the batch owner \(batch.owner) may issue its codes, not \(signer.id)",
                            zh: "只有批次所有者 \(batch.owner) 可以签发该批次的码，\(signer.id) 无权签发")
        }
        let draft: JSONValue = .object([
            "type": .string(EventType.unitIssuance.rawValue),
            "batch": .object(["gtin": .string(batch.gtin), "lot": .string(batch.lot)]),
            "time": .string(Self.timestamp(now())),
            "data": .object(["count": .integer(Int64(request.count)), "kid": .string(request.key.id.hex)]),
        ])
        let envelope = try sign(draft: draft, kind: .event, key: request.key)
        let accepted = try accept(envelope)

        var request = request
        request.gtin = batch.gtin
        request.lot = batch.lot
        let staging = try OutputDirectory.stage(request.outputDirectory)
        var minter: UnitMinter?
        do {
            let unitMinter = try UnitMinter(request, directory: staging, collectRows: true, progress: progress)
            minter = unitMinter
            let (stored, count) = try store.issueUnits(accepted.record, expectedHead: accepted.expectedHead) {
                try unitMinter.next()
            }
            try OutputDirectory.commit(staging, to: request.outputDirectory)
            return BatchIssueSummary(batchKey: batchKey, count: count, eventID: Hex.encode(stored.id),
                                     directory: request.outputDirectory, qrVersion: unitMinter.qrVersion,
                                     seconds: Date().timeIntervalSince(started))
        } catch {
            // A window may still be minting into the staging folder: let it finish first.
            _ = try? minter?.waitForPending()
            OutputDirectory.discard(staging)
            throw ServiceError.wrap(error)
        }
    }

    /// RFC 3339 with the machine's numeric UTC offset, as event times are signed.
    static func timestamp(_ instant: Instant) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(instant.seconds))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }
}
