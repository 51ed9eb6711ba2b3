import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaLedger
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// The calls the command line makes, one per command: the decisions it used to take
/// itself (envelope or draft, codes then PINs, a chain's exit status, a certificate's
/// quantity and label, where a checkpoint is kept) now taken here.
@Suite struct CommandLineUseCaseTests {
    struct NoKey: Error {}

    // MARK: Recording: envelope or draft

    @Test(arguments: Engine.all) func aSubmittedFileIsAnEnvelopeOnlyWithPayloadAndSignature(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let envelope = try farm.envelope("care", time: farm.time(daysAgo: 1), data: #"{"activity":"irrigation"}"#)
        guard case .envelope(let parsed) = try Submission(Farm.json(String(decoding: envelope.encoded, as: UTF8.self))) else {
            Issue.record("an envelope read as a draft"); return
        }
        #expect(parsed == envelope)
        let draft = Farm.json(#"{"type":"care","payload":"x"}"#)
        guard case .draft(let value) = try Submission(draft) else { Issue.record("a draft read as an envelope"); return }
        #expect(value == draft)
        // Claims to be an envelope, but is not one: said so, not signed as a draft.
        #expect(throws: ServiceError.self) { try Submission(Farm.json(#"{"payload":"x","sig":"y"}"#)) }
    }

    @Test(arguments: Engine.all) func anEnvelopeIsStoredAsSignedWithoutAskingForAKey(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let envelope = try farm.envelope("care", time: farm.time(daysAgo: 1), data: #"{"activity":"irrigation"}"#, key: farm.familyFarm)
        let file = Farm.json(String(decoding: envelope.encoded, as: UTF8.self))
        // Signed by the family farm for the coop: refused as it is, with no key asked for to re-sign it.
        #expect(throws: ServiceError.self) { try farm.recording.recordEvent(file) { throw NoKey() } }
        let own = try farm.envelope("care", time: farm.time(daysAgo: 1), data: #"{"activity":"irrigation"}"#)
        let receipt = try farm.recording.recordEvent(Farm.json(String(decoding: own.encoded, as: UTF8.self))) { throw NoKey() }
        #expect(receipt.id == own.recordID)
        let stored = try #require(try farm.store.record(id: own.recordID.bytes))
        #expect(receipt.logIndex == stored.sequence && stored.envelope == own.encoded)
        guard case .event(let event) = receipt.record else { Issue.record("not an event"); return }
        #expect(event.type == .care)
    }

    @Test(arguments: Engine.all) func aDraftIsSignedWithTheKeyTheCallerGives(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let draft = Farm.json("""
            {"type":"care","batch":{"gtin":"\(Farm.gtin)","lot":"\(Farm.lot)"},"time":"\(farm.time(daysAgo: 1))",
             "data":{"activity":"irrigation"}}
            """)
        let before = try farm.snapshot()
        #expect(throws: NoKey.self) { try farm.recording.recordEvent(draft) { throw NoKey() } }
        #expect(try farm.snapshot() == before)
        let receipt = try farm.recording.recordEvent(draft) { farm.coop }
        #expect(try farm.store.recordCount() == before.records + 1)
        #expect(receipt.logIndex == before.records)
        guard case .event(let event) = receipt.record else { Issue.record("not an event"); return }
        #expect(event.actor.rawValue == Farm.coopID)
    }

    @Test(arguments: Engine.all) func aRecordedDraftReportsItsIdAndLogIndex(_ engine: Engine) throws {
        let farm = try Farm(engine, bare: true)
        let receipt = try farm.recording.record(draft: Farm.product(), kind: .product, key: farm.coop)
        let stored = try #require(try farm.store.productRecord(gtin: Farm.gtin))
        #expect(receipt.id.bytes == stored.id && receipt.logIndex == stored.sequence)
        #expect(try RecordReceipt(stored).record == receipt.record)
    }

    // MARK: Issuance: codes and PINs in one call

    @Test(arguments: Engine.all) func issuingWithASecretAlsoMakesAPinPerCode(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let out = farm.dir.file("issued")
        let request = IssueRequest(key: farm.coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: 4, outputDirectory: out, formats: [.txt])
        let issued = try farm.issuance.issue(batch: Farm.reference, request: request, pinSecret: ServerSecret.load(farm.data))
        #expect(issued.units.count == 4 && issued.summary.count == 4)
        #expect(issued.summary.codesFile == out + "/codes.txt" && issued.summary.directory == out)
        let pins = try #require(issued.pins)
        #expect(pins.count == 4 && pins.file == out + "/pins.csv")
        let rows = try String(contentsOfFile: pins.file, encoding: .utf8).split(separator: "\n")
        let serials = try String(contentsOfFile: issued.summary.codesFile, encoding: .utf8).split(separator: "\n")
            .map { try UnitCode.parse(String($0)).serial }
        #expect(rows.first == "serial,pin" && Set(rows.dropFirst().map { String($0.split(separator: ",")[0]) }) == Set(serials))
        // Every printed PIN verifies against the hash stored with its unit, and the file is private.
        let secret = try ServerSecret.load(farm.data)
        for row in rows.dropFirst() {
            let fields = row.split(separator: ",").map(String.init)
            let result = try farm.issuance.verifyPin(gtin: Farm.gtin, lot: Farm.lot, serial: fields[0], pin: fields[1], secret: secret,
                                                     now: 1_800_000_000)
            #expect(result == .firstVerification(at: 1_800_000_000), "\(fields)")
            #expect(try farm.issuance.verifyPin(gtin: Farm.gtin, lot: Farm.lot, serial: fields[0], pin: "00000000", secret: secret)
                    == (fields[1] == "00000000" ? .alreadyVerified(firstAt: 1_800_000_000) : .wrongPin))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: pins.file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    /// PINs are stored with their codes, in the issuance's transaction; a refused
    /// issuance stores neither.
    @Test(arguments: Engine.all) func pinsAreStoredWithTheirCodesAndARefusedRunStoresNothing(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let secret = try ServerSecret.load(farm.data)
        let request = IssueRequest(key: farm.coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: 3, outputDirectory: farm.dir.file("issued"), formats: [.txt])
        let issued = try farm.issuance.issue(batch: Farm.reference, request: request, pinSecret: secret)
        let serials = try String(contentsOfFile: issued.summary.codesFile, encoding: .utf8).split(separator: "\n")
            .map { try UnitCode.parse(String($0)).serial }
        for serial in serials { #expect(try farm.store.pin(gtin: Farm.gtin, lot: Farm.lot, serial: serial) != nil) }
        // An existing output folder refuses the run before anything is stored.
        let before = try farm.snapshot()
        #expect(throws: ServiceError.self) {
            try farm.issuance.issue(batch: Farm.reference, request: IssueRequest(key: farm.coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"),
                                                                               gtin: "", lot: "", count: 3, outputDirectory: issued.summary.codesFile,
                                                                               formats: [.txt]),
                                    pinSecret: secret)
        }
        #expect(try farm.snapshot() == before)
    }

    @Test(arguments: Engine.all) func issuingWithoutASecretMakesNoPins(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let out = farm.dir.file("issued")
        let request = IssueRequest(key: farm.coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: 2, outputDirectory: out, formats: [.txt])
        let issued = try farm.issuance.issue(batch: Farm.reference, request: request, pinSecret: nil)
        #expect(issued.pins == nil && issued.units.count == 2)
        #expect(!FileManager.default.fileExists(atPath: out + "/pins.csv"))
        // Only the owner issues, PINs or not: nothing is stored and no folder appears.
        let refused = IssueRequest(key: farm.familyFarm, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: 2, outputDirectory: farm.dir.file("refused"), formats: [.txt])
        #expect(throws: ServiceError.self) {
            try farm.issuance.issue(batch: Farm.reference, request: refused, pinSecret: ServerSecret.load(farm.data))
        }
        #expect(!FileManager.default.fileExists(atPath: farm.dir.file("refused")))
    }

    // MARK: Resolver: a chain and its exit status

    @Test(arguments: Engine.all) func aChainInspectionCarriesTheDocumentedExitStatus(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(2)
        let plain = try farm.resolver.inspect(codes[0].uri, verify: false)
        #expect(plain.problems == nil && plain.exitStatus == 0 && plain.chain.verdict.name == "genuine")
        let verified = try farm.resolver.inspect(codes[0].uri, verify: true)
        #expect(verified.problems == [] && verified.exitStatus == 0)

        var signature = codes[0].signature
        signature[5] ^= 0x40
        let forged = UnitCode(stem: codes[0].stem, gtin: codes[0].gtin, lot: codes[0].lot, serial: codes[0].serial,
                              keyHint: codes[0].keyHint, signature: signature)
        let inspected = try farm.resolver.inspect(forged.uri, verify: false)
        #expect(inspected.exitStatus == 10 && inspected.chain.verdict.name == "forged")

        let unissued = try UnitCodeIssuer(key: farm.coop, base: ResolverBase(codes[0].stem))
            .issue(gtin: codes[0].gtin, lot: codes[0].lot, serial: "UNISSUED1")
        let notIssued = try farm.resolver.inspect(unissued.uri, verify: false)
        #expect(notIssued.exitStatus == ChainInspection.notInStoreStatus && notIssued.chain.verdict.name == "not-issued")

        try farm.recalls.recall(batch: Farm.reference, units: [codes[1].serial], reason: "包装破损", action: "退回", key: farm.coop)
        #expect(try farm.resolver.inspect(codes[1].uri, verify: true).exitStatus == 16)
        #expect(try farm.resolver.inspect(codes[0].uri, verify: true).exitStatus == 0)

        let foreign = try UnitCodeIssuer(key: farm.coop, base: ResolverBase(codes[0].stem))
            .issue(gtin: codes[0].gtin, lot: "NO-SUCH-LOT", serial: "UNISSUED1")
        #expect { try farm.resolver.inspect(foreign.uri, verify: false) } throws: { error in
            guard case ServiceError.notFound = error else { return false }
            return true
        }
    }

    @Test func verdictNamesAreTheAPIs() {
        #expect(UnitVerdict.genuine(keyID: "k", party: "p").name == "genuine")
        #expect(UnitVerdict.forged.name == "forged")
        #expect(UnitVerdict.notIssued.name == "not-issued")
        #expect(UnitVerdict.keyNotValid(keyID: "k", party: "p", status: .revoked(since: nil, reason: "x")).name == "key-not-valid")
    }

    // MARK: Certificates: quantity and label

    @Test(arguments: Engine.all) func aCertificateIsStoredAndItsLabelWritten(_ engine: Engine) throws {
        let farm = try Farm(engine)
        #expect(Certificates.quantity("500", unit: "KGM") == .object(["value": "500", "unit": "KGM"]))
        let label = farm.dir.file("certificate.svg")
        let issued = try farm.certificates.issue(batch: Farm.reference, quantity: "500", unit: "KGM", basis: "internal_control",
                                                 contact: "029-87000000", number: nil, sources: [], key: farm.coop,
                                                 base: "https://trace.zhouzhi.gov.cn/", templates: Self.templates, labelFile: label)
        #expect(issued.url == "https://trace.zhouzhi.gov.cn/certificates/\(issued.receipt.id.hex)")
        guard case .event(let event) = issued.receipt.record, case .certificate(let certificate) = event.data else {
            Issue.record("not a certificate"); return
        }
        #expect(certificate.quantity.value.description == "500")
        let svg = try String(contentsOfFile: label, encoding: .utf8)
        #expect(svg.hasPrefix("<") && svg.contains("承诺达标合格证"))

        // Refused by a rule: nothing stored, no label.
        let spraying = try Farm(engine)
        try spraying.submitEvent("input_application", daysAgo: 2, data: Farm.spray("阿维菌素", date: spraying.date(daysAgo: 2), interval: 7))
        let before = try spraying.snapshot()
        let refused = spraying.dir.file("refused.svg")
        #expect(throws: ServiceError.self) {
            try spraying.certificates.issue(batch: Farm.reference, quantity: "500", unit: "KGM", basis: "self_test",
                                            contact: "029-87000000", number: nil, sources: [], key: spraying.coop,
                                            base: "https://trace.zhouzhi.gov.cn", templates: Self.templates, labelFile: refused)
        }
        #expect(try spraying.snapshot() == before && !FileManager.default.fileExists(atPath: refused))
    }

    static let templates = Repository.root.appendingPathComponent("templates").path

    // MARK: Transparency: the data folder's checkpoint

    @Test(arguments: Engine.all) func aCheckpointIsSignedWithTheFoldersKeyAndKept(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let note = try farm.transparency.signCheckpoint(in: farm.data, origin: "trace.county.example/log")
        #expect(note.hasPrefix("trace.county.example/log\n"))
        #expect(farm.data.latestCheckpointNote() == note)
        let verifier = try NoteVerifier(name: "trace.county.example/log", publicKey: farm.data.logKey().publicKey)
        #expect(try Checkpoint.open(note, verifiers: [verifier]).checkpoint.treeSize == (try farm.store.recordCount()))
        // The name was fixed by the first checkpoint; the next one extends it.
        try farm.submitEvent("care", daysAgo: 1, data: #"{"activity":"irrigation"}"#)
        let next = try farm.transparency.signCheckpoint(in: farm.data, origin: nil)
        #expect(next.hasPrefix("trace.county.example/log\n") && next != note)
        #expect(try Checkpoint.open(next, verifiers: [verifier]).checkpoint.treeSize == (try farm.store.recordCount()))
    }

    // MARK: Trust: offline verification and trust anchors

    @Test(arguments: Engine.all) func codesAreVerifiedAgainstAFolderOrATrustList(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(2).map(\.uri)
        let keys = farm.dir.file("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        try KeyFile.create(keys + "/coop.pub", contents: farm.coop.publicKey.pem, mode: 0o644)
        let checks = try CodeVerification.run(codes + ["not a code"], trustFolder: keys, trustList: nil)
        #expect(checks.map(\.verdict.isGenuine) == [true, true, false])
        #expect(CodeVerification.exitStatus(checks) == 12)

        try farm.recalls.recall(batch: Farm.reference, units: [try UnitCode.parse(codes[1]).serial], reason: "抽检不合格",
                                action: "下架", key: farm.coop)
        let list = farm.dir.file("trust.list")
        let envelope = try farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400))
        #expect(FileManager.default.createFile(atPath: list, contents: Data(envelope.encoded)))
        let authorities = farm.dir.file("authorities")
        try FileManager.default.createDirectory(atPath: authorities, withIntermediateDirectories: true)
        try KeyFile.create(authorities + "/county.pub", contents: farm.authority.publicKey.pem, mode: 0o644)
        let listed = try CodeVerification.run(codes, trustFolder: authorities, trustList: list)
        #expect(listed.map { $0.recall != nil } == [false, true])
        #expect(CodeVerification.exitStatus(listed) == 16)
        // The list must be signed by a key of the folder; the coop's is none.
        #expect(throws: ServiceError.self) { try CodeVerification.run(codes, trustFolder: keys, trustList: list) }
        #expect(throws: ServiceError.self) { try CodeVerification.run(codes, trustFolder: farm.dir.file("none"), trustList: nil) }
    }

    @Test(arguments: Engine.all) func aRegulatorsKeyIsInstalledAsATrustAnchor(_ engine: Engine) throws {
        let farm = try Farm(engine, bare: true)
        let regulator = try PrivateKey.generate(.ed25519)
        let file = farm.dir.file("regulator.pub")
        try KeyFile.create(file, contents: regulator.publicKey.pem, mode: 0o644)
        let before = try farm.data.authorities().map(\.id)
        #expect(try farm.data.installAuthority(file).id == regulator.id)
        #expect(try farm.data.authorities().map(\.id).sorted { $0.hex < $1.hex } == (before + [regulator.id]).sorted { $0.hex < $1.hex })
        // Not a key: refused, nothing installed; the same key again: refused, never replaced.
        try "not a key".write(toFile: farm.dir.file("bad.pub"), atomically: true, encoding: .utf8)
        #expect(throws: ServiceError.self) { try farm.data.installAuthority(farm.dir.file("bad.pub")) }
        #expect(throws: ServiceError.self) { try farm.data.installAuthority(file) }
        #expect(try farm.data.authorities().count == before.count + 1)
    }
}
