import Foundation
import YimaCodes
import YimaCrypto
import YimaLedger
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

    /// Issues `count` unit codes for a stored batch: every code and a signed
    /// unit-issuance event (GS1 CBV "commissioning") go into the store in ONE
    /// transaction, and codes.txt plus labels into `request.outputDirectory` whole or
    /// not at all. The event commits to the codes it issues (`units_root`,
    /// docs/issuance-commitment.md): the serials are drawn and sorted first, the root
    /// grows as the units stream into the store, and the event is signed and appended
    /// last. The rules (roles, time, mass balance) judge the event before anything is
    /// minted; its root is the one field they do not read. With `pinSecret`, each code
    /// also gets a hidden PIN (刮刮码): its hash is stored in the same transaction and
    /// the PINs are written to `pins.csv` (mode 0600) in the same folder. A crash or
    /// `kill -9` at any point leaves neither a partial batch, nor a reused serial, nor
    /// codes without their PINs.
    public func issueUnits(batch reference: BatchReference, request: IssueRequest, pinSecret: ServerSecret? = nil,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> BatchIssueSummary {
        let started = Date()
        let batch = try reader.requireBatch(reference, hint: (ServiceMessage.createBatchFirst.text(in: .english), ServiceMessage.createBatchFirst.text(in: .chinese)))
        try request.validateCount()
        let signer = try recording.registry.party(of: request.key)
        guard signer.id.rawValue == batch.owner else {
            throw .rejected(.notAuthorised, .onlyOwnerIssues, ["owner": batch.owner, "signer": signer.id])
        }
        var data: [String: JSONValue] = ["count": .integer(Int64(request.count)), "kid": .string(request.key.id.hex)]
        if let each = request.unitQuantity { data["unit_quantity"] = each }
        let draft: JSONValue = .object([
            "type": .string(EventType.unitIssuance.rawValue),
            "batch": .object(["gtin": .string(batch.gtin), "lot": .string(batch.lot)]),
            "time": .string(recording.clock.timestamp()),
            "data": .object(data),
        ])
        let accepted = try recording.accept(try recording.sign(draft: draft, kind: .event, key: request.key))
        guard case .event(let event) = accepted.decoded else { throw .store(.database("a unit issuance that is not an event")) }

        var request = request
        request.gtin = batch.gtin
        request.lot = batch.lot
        let staging = try OutputDirectory.stage(request.outputDirectory)
        var minter: UnitMinter?
        do {
            let unitMinter = try UnitMinter(request, directory: staging, collectRows: true, progress: progress)
            unitMinter.issuedAt = event.time.instant.seconds
            minter = unitMinter
            var drawn = pinSecret.map { PinDrawing(secret: $0) }
            let commitment = CommitmentBuilder()
            let (stored, count) = try units.issueUnits(batchKey: reference.key, expectedHead: accepted.expectedHead, produce: {
                let minted = try unitMinter.next()
                for unit in minted { try commitment.builder.append(serial: unit.serial, signature: unit.signature) }
                return drawn == nil ? minted : drawn!.assign(minted)
            }, record: {
                try Self.committed(event, root: try commitment.builder.root(), like: accepted.record, key: request.key)
            })
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

    /// The accepted issuance event with its `units_root`, signed: the record the
    /// store appends after the units (same batch, time and effects as `accepted`).
    static func committed(_ event: Event, root: TreeHash, like accepted: NewRecord, key: PrivateKey) throws -> NewRecord {
        guard case .unitIssuance(var issuance) = event.data else { throw ServiceError.store(.database("not a unit issuance")) }
        issuance.unitsRoot = IssuedSetRoot(bytes: root.bytes)
        var committed = event
        committed.data = .unitIssuance(issuance)
        let envelope = try Envelope.sign(.event(committed), with: key)
        return NewRecord(id: envelope.recordID.bytes, kind: .event, batchKey: accepted.batchKey, signerKeyID: envelope.keyID.hex,
                         envelope: envelope.encoded, effects: accepted.effects)
    }
}

/// The issued set's root as the units stream into the store; shared by the store's
/// two callbacks (the units, then the event), which run one after the other.
private final class CommitmentBuilder {
    var builder = IssuanceCommitment.Builder()
}
