import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// Key rotation, revocation and registration windows (docs/trust-list.md §1–2),
/// enforced by the write path, the resolver's verdict and `verifyChain`.
@Suite struct KeyLifecycleTests {
    static func rejection(_ error: ServiceError?) -> Rejection? {
        if case .rejected(let reason, _, _)? = error { return reason }
        return nil
    }

    @Test func rotationKeepsOldSignaturesAndStopsNewOnes() throws {
        let farm = try Farm()
        let code = try #require(farm.issue(2).first)
        let newKey = try PrivateKey.generate(.ed25519)
        try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex, newKey: newKey.publicKey, authority: farm.authority)

        // Printed before the rotation: still genuine, and the chain still verifies.
        let chain = try farm.resolver.chain(for: code.uri)
        #expect(chain.verdict == .genuine(keyID: farm.coop.id.hex, party: Farm.coopID))
        #expect(farm.resolver.verifyChain(chain).isEmpty)

        // The old key signs nothing new; nothing is stored.
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.submitEvent("care", daysAgo: 0, data: #"{"activity":"weeding"}"#)
        }
        #expect(Self.rejection(error) == .keyNotValid)
        #expect(error?.message(in: .english).contains("rotated out") == true)
        #expect(error?.message(in: .chinese).contains("轮换停用") == true)
        #expect(try farm.snapshot() == before)

        // The new key signs for the same party, events and codes alike.
        try farm.submitEvent("care", daysAgo: 0, data: #"{"activity":"weeding"}"#, key: newKey)
        let fresh = try #require(farm.issue(1, key: newKey).first)
        #expect(try farm.resolver.chain(for: fresh.uri).verdict == .genuine(keyID: newKey.id.hex, party: Farm.coopID))
        #expect(farm.resolver.verifyChain(try farm.resolver.chain(for: fresh.uri)).isEmpty)
    }

    /// A bundle carries its parties' key records: a unit issued with a rotated-in key
    /// verifies offline, and a later revocation shows as the failed `key-status` check
    /// (both were audit findings: "exits 20 … which no registered party holds").
    @Test func bundlesVerifyAfterARotationAndShowARevocation() throws {
        let farm = try Farm()
        let newKey = try PrivateKey.generate(.ed25519)
        try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex, newKey: newKey.publicKey, authority: farm.authority)
        let code = try #require(farm.issue(1, key: newKey).first)
        let publisher = try LogPublisher(directory: farm.data)
        func verify() throws -> ChainVerification.Summary {
            let bundle = try UnitBundle(decoding: try farm.useCases.transparency.bundle(for: code.uri, publisher: publisher).encoded)
            return try ChainVerification.verify(bundle.evidence, logKey: publisher.verifier, authorities: [farm.authority.publicKey],
                                                proof: bundle.proof(leaf:treeSize:))
        }
        #expect(try verify().issuer == "周至县猕猴桃专业合作社")

        try farm.keys.revokeKey(party: Farm.coopID, keyID: newKey.id.hex, compromisedSince: nil, reason: "手机丢失", authority: farm.authority)
        let failure = #expect(throws: VerificationFailure.self) { _ = try verify() }
        #expect(failure?.check == "key-status" && failure?.en.contains("revoked") == true, "\(String(describing: failure))")
    }

    @Test func revocationFromATimeVoidsWhatWasSignedAfterIt() throws {
        let farm = try Farm()  // planting 60 days ago, spray 30 days ago, both signed by the coop
        let code = try #require(farm.issue(1).first)
        let version = try farm.registry.keyRegistry().version
        try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.coop.id.hex, compromisedSince: farm.time(daysAgo: 45),
                                   reason: "U 盘丢失", authority: farm.authority)
        #expect(try farm.registry.keyRegistry().version > version)

        // The resolver: the unit was issued after the compromise.
        let chain = try farm.resolver.chain(for: code.uri)
        guard case .keyNotValid(let keyID, let party, .revoked(let since?, let reason)) = chain.verdict else {
            Issue.record("verdict \(chain.verdict)"); return
        }
        #expect(keyID == farm.coop.id.hex && party == Farm.coopID && reason == "U 盘丢失" && since.rawValue == farm.time(daysAgo: 45))

        // The verifier: the spray (30 days ago) is void, the planting (60 days ago) and
        // the batch record are flagged only if signed after the compromise.
        let problems = farm.resolver.verifyChain(chain)
        let spray = try farm.events().first { $0.event.type == .inputApplication }!.id.hex
        let planting = try farm.events().first { $0.event.type == .planting }!.id.hex
        #expect(problems.contains { $0.recordID?.hex == spray && $0.check == .keyStatus && $0.en.contains("revoked") })
        #expect(!problems.contains { $0.recordID?.hex == planting })

        // The write path: nothing new from that key.
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.submitEvent("care", daysAgo: 0, data: #"{"activity":"weeding"}"#)
        }
        #expect(Self.rejection(error) == .keyNotValid)
        #expect(try farm.snapshot() == before)
    }

    @Test func revocationWithUnknownTimeFlagsEverything() throws {
        let farm = try Farm()
        try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.coop.id.hex, compromisedSince: nil,
                                   reason: "密钥泄露，时间不明", authority: farm.authority)
        let status = try farm.registry.keyStatus(farm.coop.id, signedAt: Instant(seconds: 0)).status
        #expect(status == .revoked(since: nil, reason: "密钥泄露，时间不明"))
        let records = try farm.store.records(batchKey: Farm.batchKey)
        #expect(records.count == 3)
        // Every record the coop signed for the batch is flagged: batch, planting, spray.
        let signed = records.map { Hex.encode($0.id) }
        let code = try UnitCodeIssuer(key: farm.coop, base: ResolverBase("https://trace.zhouzhi.gov.cn"))
            .issue(gtin: Farm.gtin, lot: Farm.lot, serial: "NEVERISSUED")
        let chain = try farm.resolver.chain(for: code.uri)
        let flagged = farm.resolver.verifyChain(chain)
        for id in signed {
            #expect(flagged.contains { $0.recordID?.hex == id && $0.check == .keyStatus && $0.en.contains("unknown compromise time") })
        }
    }

    @Test func registrationWindowBoundsSignatures() throws {
        let farm = try Farm(bare: true)
        let late = try PrivateKey.generate(.ed25519)
        var draft = Farm.party("late-farm", name: "过期农场", roles: ["producer"], credit: "91610124MA6TG7HJ0T",
                               address: "陕西省西安市周至县", key: late)
        guard case .object(var fields) = draft else { return }
        fields["valid_from"] = .string(farm.time(daysAgo: 400))
        fields["valid_until"] = .string(farm.time(daysAgo: 1))
        draft = .object(fields)
        try farm.recording.submit(draft: draft, kind: .party, key: farm.authority)
        #expect(try farm.registry.keyStatus(late.id, signedAt: Instant(seconds: Int64(farm.now.timeIntervalSince1970) - 86_400 * 2)).status == .valid)
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.recording.submit(draft: Farm.product(gtin: "02961012400081"), kind: .product, key: late)
        }
        #expect(Self.rejection(error) == .keyNotValid)
        #expect(error?.message(in: .chinese).contains("登记已于") == true)
        #expect(try farm.snapshot() == before)
    }

    @Test func badKeyRecordsAreRefusedAndStoreNothing() throws {
        let farm = try Farm()
        let newKey = try PrivateKey.generate(.ed25519)
        let before = try farm.snapshot()
        let registryBefore = try farm.registry.keyRegistry().version

        // Not signed by the authority: the coop tries to rotate its own key.
        var error = #expect(throws: ServiceError.self) {
            try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex, newKey: newKey.publicKey, authority: farm.coop)
        }
        #expect(Self.rejection(error) == .notAuthority)
        #expect(error?.message(in: .english).contains("must be signed by the county authority") == true)

        // A key nobody registered.
        error = #expect(throws: ServiceError.self) {
            try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: try PrivateKey.generate(.ed25519).id.hex,
                                       newKey: newKey.publicKey, authority: farm.authority)
        }
        #expect(Self.rejection(error) == .unknownKey)
        error = #expect(throws: ServiceError.self) {
            try farm.keys.revokeKey(party: Farm.coopID, keyID: "0123456789abcdef", compromisedSince: nil, reason: "x",
                                       authority: farm.authority)
        }
        #expect(Self.rejection(error) == .unknownKey)
        #expect(error?.message(in: .chinese).contains("0123456789abcdef 不是主体") == true)

        // Another party's key, and a party that does not exist.
        error = #expect(throws: ServiceError.self) {
            try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.lab.id.hex, compromisedSince: nil, reason: "x",
                                       authority: farm.authority)
        }
        #expect(Self.rejection(error) == .unknownKey)
        error = #expect(throws: ServiceError.self) {
            try farm.keys.revokeKey(party: "nobody", keyID: farm.lab.id.hex, compromisedSince: nil, reason: "x",
                                       authority: farm.authority)
        }
        #expect(Self.rejection(error) == .unknownKey)

        // A party registration not signed by the authority.
        error = #expect(throws: ServiceError.self) {
            try farm.recording.submit(draft: Farm.party("rogue", name: "冒名主体", roles: ["producer"], credit: "91610124MA6TG7HJ0T",
                                                      address: "某地", key: newKey), kind: .party, key: farm.coop)
        }
        #expect(Self.rejection(error) == .notAuthority)

        #expect(try farm.snapshot() == before)
        #expect(try farm.store.records(kind: .key).isEmpty)
        #expect(try farm.registry.keyRegistry().version == registryBefore)
    }

    @Test func aRevokedKeyCannotBeRotatedOrRevokedAgain() throws {
        let farm = try Farm()
        try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.coop.id.hex, compromisedSince: nil, reason: "丢失",
                                   authority: farm.authority)
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex,
                                       newKey: try PrivateKey.generate(.ed25519).publicKey, authority: farm.authority)
        }
        #expect(Self.rejection(error) == .keyNotValid)
        #expect(try farm.snapshot() == before)
    }
}
