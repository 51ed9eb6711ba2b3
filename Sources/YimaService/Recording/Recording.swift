import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

/// Recording (docs/records.md): the one write path. Every write is a signed envelope
/// that is verified, checked against the domain rules and appended atomically.
/// Drafts, CSV imports, recalls, certificates and issuance all end here.
public struct Recording: Sendable {
    let records: any RecordStore
    let units: any UnitStore
    let aliases: any AliasStore
    let reader: RecordReader
    let registry: Registry
    public let clock: ServiceClock

    // MARK: The one write path

    /// Verifies, checks and stores a signed record. Nothing is stored when anything
    /// fails: a bad signature, an unknown or unauthorised key, a broken chain link, a
    /// rule violation, or a replay.
    @discardableResult
    public func submit(_ envelope: Envelope) throws(ServiceError) -> StoredRecord {
        let accepted = try accept(envelope)
        do {
            return try records.append(accepted.record, expectedHead: accepted.expectedHead)
        } catch {
            throw .store(error)
        }
    }

    /// Everything `submit` checks, without storing: the record to append and the
    /// chain head it must extend.
    ///
    /// `pending` are events accepted earlier in the same all-or-nothing import and
    /// not yet stored: they count as the batch's latest history. Without `verifying`
    /// the signature is not checked: the dry run of an unsigned draft (`check`).
    func accept(_ envelope: Envelope, pending: [RecordedEvent] = [], verifying: Bool = true) throws(ServiceError) -> (record: NewRecord, expectedHead: [UInt8]?, decoded: Record) {
        let record: Record
        do { record = try Record(payload: envelope.payload) } catch { throw .record(error) }
        try registry.requireEligibleSigner(envelope, kind: record.kind)
        // A replay (a client retrying after a lost response) is named as such, before
        // the rules would call it a broken chain link.
        if try ServiceError.reading({ try records.record(id: envelope.recordID.bytes) }) != nil {
            throw .store(.duplicateRecord(id: envelope.recordID.hex))
        }
        switch record {
        case .party(let party):
            let authority = try registry.authority(signing: envelope, kind: .party)
            if verifying { try Registry.verify(envelope, with: authority) }
            do { var keys = try registry.keyRegistry().registry; try keys.register(party) } catch let problem as KeyRegistry.Problem {
                throw .rejected(.duplicate, problem.en, zh: problem.zh)
            } catch { throw ServiceError.wrap(error) }
            return (NewRecord(id: envelope.recordID.bytes, kind: .party, signerKeyID: envelope.keyID.hex,
                              envelope: envelope.encoded,
                              effects: [.registerParty(id: party.id.rawValue, keyIDs: party.publicKeys.map(\.id.hex))]),
                    nil, record)
        case .key(let change):
            return (try acceptKeyChange(change, envelope, verifying: verifying), nil, record)
        default:
            break
        }

        let signer = try registry.signingParty(of: envelope, at: clock.now(), verifying: verifying)
        switch record {
        case .party, .key:
            preconditionFailure("handled above")
        case .product(let product):
            try require(signer, anyOf: [.producer, .cooperative, .processor], "define products")
            if try ServiceError.reading({ try records.productRecord(gtin: product.gtin.rawValue) }) != nil {
                throw .rejected(.duplicate, .productExists, ["gtin": product.gtin])
            }
            return (NewRecord(id: envelope.recordID.bytes, kind: .product, signerKeyID: envelope.keyID.hex,
                              envelope: envelope.encoded,
                              effects: [.defineProduct(gtin: product.gtin.rawValue, owner: signer.id.rawValue)]),
                    nil, record)
        case .batch(let batch):
            try require(signer, anyOf: [.producer, .cooperative, .processor], "create batches")
            guard batch.owner == signer.id else {
                throw .rejected(.notAuthorised, .batchOwnerNotSigner, ["owner": batch.owner, "signer": signer.id])
            }
            guard try ServiceError.reading({ try records.productRecord(gtin: batch.gtin.rawValue) }) != nil else {
                throw .rejected(.unknownReference, .productNotDefinedAdd, ["gtin": batch.gtin])
            }
            let key = batch.reference.key
            if try reader.batch(batch.reference) != nil {
                throw .rejected(.duplicate, .batchExists, ["batch": key])
            }
            return (NewRecord(id: envelope.recordID.bytes, kind: .batch, batchKey: key, signerKeyID: envelope.keyID.hex,
                              envelope: envelope.encoded,
                              effects: [.createBatch(key: key, gtin: batch.gtin.rawValue, lot: batch.lot.rawValue,
                                                     owner: signer.id.rawValue, time: "")]),
                    nil, record)
        case .event(let event):
            guard event.actor == signer.id else {
                throw .rejected(.notAuthorised, .actorNotSigner, ["actor": event.actor, "signer": signer.id])
            }
            let key = event.batch.key
            let batch = try reader.requireBatch(event.batch)
            try checkRules(event, batch: batch, signer: signer, pending: pending.filter { $0.event.batch == event.batch })
            var effects: [RecordEffect] = [.advanceBatch(key: key, time: event.time.rawValue)]
            effects += packingEffects(of: event)
            if [.recall, .certificate, .certificateReceipt].contains(event.type) {
                effects.append(.notice(type: event.type.rawValue, batchKey: key, owner: batch.owner))
            }
            if case .certificate(let certificate) = event.data { try requireCertificates(certificate.sources) }
            if case .externalCode(let external) = event.data {
                try requireFreeAlias(external, batch: batch)
                effects.append(.assignAlias(code: external.code.rawValue, batchKey: key, serial: external.serial?.rawValue))
            }
            return (NewRecord(id: envelope.recordID.bytes, kind: .event, batchKey: key, signerKeyID: envelope.keyID.hex,
                              envelope: envelope.encoded, effects: effects),
                    event.previous.bytes, record)
        }
    }

    /// The stored record with this id, if any (a replayed write learns where its record is).
    public func storedRecord(id: RecordID) throws(ServiceError) -> StoredRecord? {
        try ServiceError.reading { try records.record(id: id.bytes) }
    }

    // MARK: Signers

    func require(_ party: Party, anyOf roles: [PartyRole], _ action: String) throws(ServiceError) {
        guard roles.contains(where: party.hasRole) else {
            let names = roles.map(\.rawValue).joined(separator: ", ")
            throw .rejected(.notAuthorised) {
                ServiceMessage.needsRole.text(in: $0, ["party": party.id, "action": action,
                                                       "roles": $0 == .chinese ? roles.map { $0.name(in: .chinese) }.joined(separator: "、") : names])
            }
        }
    }

    /// An external trace code names one target for ever: a code already assigned (to
    /// this batch or another) is refused as a duplicate, and a unit it names must be issued.
    func requireFreeAlias(_ external: ExternalTraceCode, batch: BatchState) throws(ServiceError) {
        let code = external.code.rawValue
        if let existing = try ServiceError.reading({ try aliases.alias(code: code) }) {
            throw .rejected(.duplicate, .aliasTaken, ["code": code, "batch": existing.batchKey])
        }
        if let serial = external.serial?.rawValue,
           try ServiceError.reading({ try units.unit(gtin: batch.gtin, lot: batch.lot, serial: serial) }) == nil {
            throw .rejected(.unknownReference, .aliasUnitNotIssued, ["serial": serial, "batch": batch.key])
        }
    }

    func packingEffects(of event: Event) -> [RecordEffect] {
        guard case .packing(let sscc, let contents) = event.data else { return [] }
        switch contents {
        case .units(let serials):
            return serials.map { .pack(child: event.batch.unitPath($0.rawValue), parent: sscc.rawValue) }
        case .cartons(let cartons):
            return cartons.map { .pack(child: $0.rawValue, parent: sscc.rawValue) }
        }
    }
}
