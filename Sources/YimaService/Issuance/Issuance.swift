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

/// Issuance (一物一码): a batch's unit codes and their hidden PINs. Codes and the
/// signed unit-issuance event are stored in one transaction; files appear whole or
/// not at all.
public struct Issuance: Sendable {
    let recording: Recording
    let reader: RecordReader
    let units: any UnitStore
    let pins: any PinStore

    /// Issues `count` unit codes for a stored batch: a signed unit-issuance event
    /// (GS1 CBV "commissioning") and every code go into the store in ONE transaction,
    /// and codes.txt plus labels into `request.outputDirectory` whole or not at all.
    /// With `pinSecret`, each code also gets a hidden PIN (刮刮码): its hash is stored
    /// in the same transaction and the PINs are written to `pins.csv` (mode 0600) in
    /// the same folder. A crash or `kill -9` at any point leaves neither a partial
    /// batch, nor a reused serial, nor codes without their PINs.
    public func issueUnits(batch reference: BatchReference, request: IssueRequest, pinSecret: ServerSecret? = nil,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> BatchIssueSummary {
        let started = Date()
        let batch = try reader.requireBatch(reference, hint: (ServiceMessage.createBatchFirst.text(in: .english), ServiceMessage.createBatchFirst.text(in: .chinese)))
        try request.validateCount()
        let signer = try recording.registry.party(of: request.key)
        guard signer.id.rawValue == batch.owner else {
            throw .rejected(.notAuthorised, .onlyOwnerIssues, ["owner": batch.owner, "signer": signer.id])
        }
        let draft: JSONValue = .object([
            "type": .string(EventType.unitIssuance.rawValue),
            "batch": .object(["gtin": .string(batch.gtin), "lot": .string(batch.lot)]),
            "time": .string(recording.clock.timestamp()),
            "data": .object(["count": .integer(Int64(request.count)), "kid": .string(request.key.id.hex)]),
        ])
        let envelope = try recording.sign(draft: draft, kind: .event, key: request.key)
        let accepted = try recording.accept(envelope)

        var request = request
        request.gtin = batch.gtin
        request.lot = batch.lot
        let staging = try OutputDirectory.stage(request.outputDirectory)
        var minter: UnitMinter?
        do {
            let unitMinter = try UnitMinter(request, directory: staging, collectRows: true, progress: progress)
            minter = unitMinter
            var drawn = pinSecret.map { PinDrawing(secret: $0) }
            let (stored, count) = try units.issueUnits(accepted.record, expectedHead: accepted.expectedHead) {
                let minted = try unitMinter.next()
                return drawn == nil ? minted : drawn!.assign(minted)
            }
            if let drawn { try drawn.write(to: (staging as NSString).appendingPathComponent(PinDrawing.fileName)) }
            try OutputDirectory.commit(staging, to: request.outputDirectory)
            return BatchIssueSummary(batchKey: reference.key, count: count, eventID: Hex.encode(stored.id),
                                     directory: request.outputDirectory, qrVersion: unitMinter.qrVersion,
                                     seconds: Date().timeIntervalSince(started))
        } catch {
            // A window may still be minting into the staging folder: let it finish first.
            _ = try? minter?.waitForPending()
            OutputDirectory.discard(staging)
            throw ServiceError.wrap(error)
        }
    }
}
