import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// The unit-issuance event commits to its issued set (docs/issuance-commitment.md):
/// the root as stored, a bundle's proof of issuance, and the auditor catching a
/// units table that no longer matches.
@Suite struct IssuanceCommitmentTests {
    func issuance(_ farm: Farm) throws -> (id: RecordID, issuance: UnitIssuance) {
        let found = try farm.events().compactMap { item -> (RecordID, UnitIssuance)? in
            if case .unitIssuance(let issuance) = item.event.data { return (item.id, issuance) }
            return nil
        }
        return try #require(found.last)
    }

    @Test func theEventCommitsToTheCodesIssuedInSerialOrder() throws {
        let farm = try Farm()
        let codes = try farm.issue(7)
        #expect(codes.map(\.serial) == codes.map(\.serial).sorted())  // codes.txt in commitment order
        let (_, issuance) = try issuance(farm)
        let root = try #require(issuance.unitsRoot)
        // Recomputed from the printed codes alone, with the document's recipe.
        let recomputed = try IssuanceCommitment.root(of: codes.map { ($0.serial, $0.signature) })
        #expect(recomputed.hex == root.hex && issuance.count == 7)
        // Every unit row carries the event's time, which is how the auditor groups them.
        let event = try #require(farm.events().last?.event)
        let rows = try farm.store.units(gtin: Farm.gtin, lot: Farm.lot, after: nil, limit: 100)
        #expect(rows.count == 7 && rows.allSatisfy { $0.issuedAt == event.time.instant.seconds })
        let audit = try farm.issuance.auditIssuedSets()
        #expect(audit.holds && audit.checks.map(\.verdict) == [.holds])
    }

    @Test func aBundleProvesIssuanceAndATamperedProofFails() throws {
        let farm = try Farm()
        let codes = try farm.issue(5)
        let publisher = try LogPublisher(directory: farm.data)
        let made = try farm.transparency.bundle(for: codes[3].uri, publisher: publisher)
        let bundle = try UnitBundle(decoding: made.encoded)
        let proof = try #require(bundle.issuance)
        #expect(proof.leafIndex == 3)
        _ = try ChainVerification.verify(bundle.evidence, logKey: publisher.verifier, authorities: [farm.authority.publicKey],
                                         proof: bundle.proof(leaf:treeSize:))
        let (eventID, _) = try issuance(farm)
        #expect(try bundle.verifyIssuance() == .proven(event: eventID, index: 3, count: 5))

        // The proof of one code does not prove another (a code of the same batch in its place).
        let swapped = UnitBundle(evidence: ChainEvidence(code: codes[1].uri, checkpoint: bundle.evidence.checkpoint,
                                                         records: bundle.evidence.records),
                                 proofs: bundle.proofs, logKey: bundle.logKey, authorityKeys: bundle.authorityKeys, issuance: proof)
        let wrong = #expect(throws: VerificationFailure.self) { try swapped.verifyIssuance() }
        #expect(wrong?.check == "issuance" && wrong?.en.contains("not in the issued set") == true, "\(String(describing: wrong))")
        // One node changed.
        var nodes = proof.hashes
        nodes[0] = MerkleHash.leaf([0x42])
        let tampered = UnitBundle(evidence: bundle.evidence, proofs: bundle.proofs, logKey: bundle.logKey,
                                  authorityKeys: bundle.authorityKeys,
                                  issuance: IssuanceProof(event: proof.event, leafIndex: proof.leafIndex, hashes: nodes))
        #expect(throws: VerificationFailure.self) { try tampered.verifyIssuance() }
        // No proof at all, while the batch's issuance commits: not proven issued.
        let bare = UnitBundle(evidence: bundle.evidence, proofs: bundle.proofs, logKey: bundle.logKey, authorityKeys: bundle.authorityKeys)
        #expect(try bare.verifyIssuance() == .notProven(issuances: 1))
        let missing = #expect(throws: VerificationFailure.self) { try bare.verifyIssuance().requireProven() }
        #expect(missing?.check == "issuance")
    }

    @Test func theAuditorCatchesAUnitsTableChangedBehindTheEvents() throws {
        let farm = try Farm()
        let codes = try farm.issue(4)
        let event = try #require(farm.events().last?.event)
        #expect(try farm.issuance.auditIssuedSets().holds)
        // A row inserted straight into the database, as an operator could: a code signed
        // with the owner's key that no issuance committed to, dated like the real ones.
        let forged = try UnitCodeIssuer(key: farm.coop, base: ResolverBase("https://trace.zhouzhi.gov.cn")).issue(gtin: Farm.gtin, lot: Farm.lot, serial: "ZZZZZZZZZZZZ")
        try insertUnit(farm, serial: forged.serial, signature: forged.signature, issuedAt: event.time.instant.seconds)
        let audit = try farm.issuance.auditIssuedSets(batch: Farm.reference)
        #expect(!audit.holds)
        guard case .mismatch(let served, _)? = audit.checks.first?.verdict else { Issue.record("\(audit.checks)"); return }
        #expect(served == 5)
        // The forged code verifies by its signature alone, but no bundle can prove its issuance.
        let publisher = try LogPublisher(directory: farm.data)
        let bundle = try farm.transparency.bundle(for: forged.uri, publisher: publisher)
        #expect(bundle.issuance == nil)
        #expect(try bundle.verifyIssuance() == .notProven(issuances: 1))
        // A row under another time: units no issuance accounts for.
        try insertUnit(farm, serial: "ZZZZZZZZZZZY", signature: codes[0].signature, issuedAt: 1)
        #expect(try farm.issuance.auditIssuedSets().strayUnits == [Farm.batchKey: 1])
    }

    /// Inserts a unit row with the sqlite3 command line, past the service.
    func insertUnit(_ farm: Farm, serial: String, signature: [UInt8], issuedAt: Int64) throws {
        let sql = "INSERT INTO units (gtin, lot, serial, key_id, signature, issued_at) VALUES "
            + "('\(Farm.gtin)', '\(Farm.lot)', '\(serial)', '\(farm.coop.id.hex)', X'\(Hex.encode(signature))', \(issuedAt))"
        let result = try run("sqlite3", ["-batch", farm.data.path + "/yima.sqlite", sql])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func overIssuanceIsRefusedWithTheFiguresAndStoresNothing() throws {
        let farm = try Farm()  // no harvest yet: the batch record declares 12000 kg
        let before = try farm.snapshot()
        let out = farm.dir.file("too-many")
        let request = IssueRequest(key: farm.coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: 2500, outputDirectory: out, formats: [.txt],
                                   unitQuantity: .object(["value": "5", "unit": "KGM"]))
        let error = #expect(throws: ServiceError.self) { try farm.issuance.issueUnits(batch: Farm.reference, request: request) }
        guard case .rule(let violation)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(violation.rule == .massBalance)
        #expect(violation.message(in: .english).contains("declared batch 12000 kg, already issued 0 kg, this issuance 12500 kg"),
                "\(violation.message(in: .english))")
        #expect(try farm.snapshot() == before && !FileManager.default.fileExists(atPath: out))
        #expect(try farm.store.serials(gtin: Farm.gtin, lot: Farm.lot).isEmpty)

        // Within the balance: 2400 boxes of 5 kg, and the report shows it.
        var within = request
        within.count = 2400
        within.outputDirectory = farm.dir.file("boxes")
        _ = try farm.issuance.issueUnits(batch: Farm.reference, request: within)
        let today = Farm.format(Date(), "yyyy-MM-dd")
        let report = try farm.reports.report(from: farm.date(daysAgo: 1), until: today, by: .party)
        let balance = try #require(report.balances.first { $0.batchKey == Farm.batchKey })
        #expect(balance.balance.supplyIsDeclared && balance.balance.line(.mass)?.labelled == 12000 && balance.balance.holds)
    }

    @Test func aBuyerRecordsReceiptOfACertificateAndTheReportCountsIt() throws {
        let farm = try Farm()
        let market = try PrivateKey.generate(.ed25519)
        try farm.recording.submit(draft: Farm.party("xian-fruit-market", name: "西安果品批发市场", roles: ["market"],
                                                    credit: "91610100MA6U2M9Q06", address: "陕西省西安市", key: market),
                                  kind: .party, key: farm.authority)
        let certificate = try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "500", "unit": "KGM"]),
                                                      basis: "internal_control", contact: "029-87000000", key: farm.coop)
        let id = try Envelope(encoded: certificate.envelope).recordID
        let stored = try farm.certificates.receive(certificate: id.hex, from: Farm.coopID,
                                                   quantity: .object(["value": "200", "unit": "KGM"]), key: market)
        guard case .event(let event) = stored.record, case .certificateReceipt(let receipt) = event.data else {
            Issue.record("not a receipt"); return
        }
        #expect(receipt.certificate == id && event.actor.rawValue == "xian-fruit-market")
        // Shown on the chain.
        #expect(event.data.summary(in: .english).contains("received from zhouzhi-kiwi-coop"))

        // Not a certificate; a party that is no buyer: refused, nothing stored.
        let before = try farm.snapshot()
        let planting = try #require(farm.events().first).id.hex
        #expect(throws: ServiceError.self) { try farm.certificates.receive(certificate: planting, from: Farm.coopID, key: market) }
        let role = #expect(throws: ServiceError.self) { try farm.certificates.receive(certificate: id.hex, from: Farm.coopID, key: farm.lab) }
        guard case .rule(let violation)? = role else { Issue.record("\(String(describing: role))"); return }
        #expect(violation.rule == .role)
        #expect(try farm.snapshot() == before)

        let today = Farm.format(Date(), "yyyy-MM-dd")
        let report = try farm.reports.report(from: farm.date(daysAgo: 1), until: today, by: .party)
        #expect(report.total.counts.certificateReceipts == 1 && report.total.counts.certificates == 1)
    }

    @Test func aSecondCertificateMustNameTheOneItSplits() throws {
        let farm = try Farm()
        let first = try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "500", "unit": "KGM"]),
                                                basis: "internal_control", contact: "029-87000000", key: farm.coop)
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "100", "unit": "KGM"]),
                                        basis: "internal_control", contact: "029-87000000", key: farm.coop)
        }
        guard case .rule(let violation)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(violation.rule == .certificateSplit)
        #expect(try farm.snapshot() == before)
        let firstID = try Envelope(encoded: first.envelope).recordID.hex
        _ = try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "100", "unit": "KGM"]),
                                        basis: "internal_control", contact: "029-87000000", sources: [firstID], key: farm.coop)
    }

    @Test func aTestBasedCertificateIsRefusedUntilEveryIngredientIsTested() throws {
        let farm = try Farm()  // 吡虫啉 sprayed 30 days ago
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "500", "unit": "KGM"]),
                                        basis: "self_test", contact: "029-87000000", key: farm.coop)
        }
        guard case .rule(let violation)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(violation.rule == .testCoverage && violation.message(in: .chinese).contains("吡虫啉"))
        #expect(try farm.snapshot() == before)
        try farm.inspect(["吡虫啉", "毒死蜱"])
        _ = try farm.certificates.issue(batch: Farm.reference, quantity: .object(["value": "500", "unit": "KGM"]),
                                        basis: "self_test", contact: "029-87000000", key: farm.coop)
    }
}
