import Foundation
import Testing
import YimaCrypto
import YimaRecords
import YimaService
import YimaTestSupport

/// The signed trust list (docs/trust-list.md §3): what the server knows, carried to
/// offline verifiers, who judge keys and recalls exactly as the server does.
@Suite struct TrustListTests {
    static func load(_ envelope: Envelope, _ farm: Farm, now: Instant = .now()) throws(ServiceError) -> VerifiedTrustList {
        try VerifiedTrustList(encoded: envelope.encoded, authorities: farm.registry.authorities, now: now)
    }

    @Test func carriesKeysRevocationsAndRecallsOffline() throws {
        let farm = try Farm()
        let codes = try farm.issue(3)
        let uris = codes.map(\.uri)

        var list = try Self.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400)), farm)
        #expect(list.registry.parties.count == 4)
        #expect(CodeVerification.exitStatus(CodeVerification.run(uris, trustList: list)) == 0)

        // A recall of one unit: only that unit is flagged, exit 16.
        try farm.recalls.recall(batch: Farm.reference, units: [codes[0].serial], reason: "农残超标", action: "停止销售，退回合作社",
                                key: farm.coop)
        list = try Self.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400)), farm)
        let checks = CodeVerification.run(uris, trustList: list)
        #expect(checks[0].recall?.reason == "农残超标" && checks[0].recall?.action == "停止销售，退回合作社")
        #expect(checks[1].recall == nil && checks[2].recall == nil)
        #expect(CodeVerification.exitStatus(checks) == 16)
        #expect(CodeVerification.exitStatus(Array(checks.dropFirst())) == 0)

        // The issuing key revoked with unknown time: every code is flagged, exit 15.
        let version = list.list.version
        try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.coop.id.hex, compromisedSince: nil, reason: "丢失",
                                   authority: farm.authority)
        list = try Self.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400)), farm)
        #expect(list.list.version > version)
        let revoked = CodeVerification.run(uris, trustList: list)
        #expect(revoked.allSatisfy { $0.keyStatus == .revoked(since: nil, reason: "丢失") })
        #expect(CodeVerification.exitStatus(revoked) == 15)
    }

    @Test func rotatedKeysStillVerifyOffline() throws {
        let farm = try Farm()
        let old = try #require(farm.issue(1).first)
        let newKey = try PrivateKey.generate(.p256)
        try farm.keys.rotateKey(party: Farm.coopID, oldKeyID: farm.coop.id.hex, newKey: newKey.publicKey, authority: farm.authority)
        let fresh = try #require(farm.issue(1, key: newKey).first)
        let list = try Self.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(3600)), farm)
        let checks = CodeVerification.run([old.uri, fresh.uri], trustList: list)
        #expect(checks.map(\.verdict.isGenuine) == [true, true])
        #expect(checks.map(\.keyStatus) == [.valid, .valid])
        #expect(list.registry.keys[farm.coop.id]?.retiredAt != nil)
    }

    @Test func expiredTamperedOrForeignListsAreRefused() throws {
        let farm = try Farm()
        let envelope = try farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(3600))

        // Expired: refused with when, and how to get a new one.
        let later = Instant.now().adding(.seconds(7200))
        let expired = #expect(throws: ServiceError.self) { try Self.load(envelope, farm, now: later) }
        guard case .rejected(.expired, let en, let zh)? = expired else { Issue.record("\(String(describing: expired))"); return }
        #expect(en.contains("expired at") && en.contains("yima trust export"))
        #expect(zh.contains("已于") && zh.contains("过期"))

        // One byte of the payload changed: the signature fails.
        var payload = envelope.payload
        payload[payload.count / 2] ^= 0x01
        let tampered = Envelope(algorithm: envelope.algorithm, keyID: envelope.keyID, payload: payload, signature: envelope.signature)
        #expect(throws: ServiceError.self) { try Self.load(tampered, farm) }

        // Signed by a key the verifier does not hold as an authority.
        let other = try PrivateKey.generate(.ed25519)
        let foreign = try Envelope.sign(payload: envelope.payload, with: other)
        let refused = #expect(throws: ServiceError.self) { try Self.load(foreign, farm) }
        guard case .rejected(.notAuthority, _, _)? = refused else { Issue.record("\(String(describing: refused))"); return }

        // Only an authority exports.
        let notAuthority = #expect(throws: ServiceError.self) {
            try farm.keys.exportTrustList(signedWith: farm.coop, validity: .seconds(3600))
        }
        guard case .rejected(.notAuthority, _, _)? = notAuthority else { Issue.record("\(String(describing: notAuthority))"); return }
    }

    @Test func aListWhoseRegistryIsNotAuthoritySignedIsRefused() throws {
        let farm = try Farm()
        let good = try TrustList(payload: farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(3600)).payload)
        // The authority signs a list into which a party record signed by a producer slipped.
        let rogue = try Envelope.sign(try Record(json: Farm.party("rogue", name: "冒名主体", roles: ["producer"],
                                                                 credit: "91610124MA6TG7HJ0T", address: "某地",
                                                                 key: farm.coop).merging(["v": .integer(1), "kind": "party"])),
                                      with: farm.coop)
        let bad = TrustList(version: good.version, issued: good.issued, expires: good.expires,
                            registry: good.registry + [rogue], recalls: good.recalls)
        let envelope = try Envelope.sign(payload: bad.payload, with: farm.authority)
        let error = #expect(throws: ServiceError.self) { try Self.load(envelope, farm) }
        #expect(error?.message(in: .english).contains("registry[4] is signed by") == true)
    }
}

extension JSONValue {
    func merging(_ fields: [String: JSONValue]) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.merging(fields) { $1 })
    }
}
