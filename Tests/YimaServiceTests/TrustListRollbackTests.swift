import Foundation
import Testing
import YimaCrypto
import YimaRecords
import YimaService
import YimaTestSupport

/// Rollback and clock rules for trust lists (docs/trust-list.md §3): a verifier keeps
/// the highest version seen per authority key and refuses older lists, and refuses a
/// list issued further in the future than `VerifiedTrustList.clockSkew`.
@Suite struct TrustListRollbackTests {
    /// A farm's list now (version n) and, after a revocation, a newer one (version > n).
    static func twoLists() throws -> (old: VerifiedTrustList, new: VerifiedTrustList) {
        let farm = try Farm()
        _ = try farm.issue(1)
        let old = try TrustListTests.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400)), farm)
        try farm.keys.revokeKey(party: Farm.coopID, keyID: farm.coop.id.hex, compromisedSince: nil, reason: "丢失",
                                   authority: farm.authority)
        let new = try TrustListTests.load(farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400)), farm)
        #expect(new.list.version > old.list.version)
        return (old, new)
    }

    @Test func anOlderListIsRefusedAndTheStateIsUnchanged() throws {
        let (old, new) = try Self.twoLists()
        let dir = try TemporaryDirectory()
        let path = dir.file("trust-state.json")
        try TrustState.admit(new, stateFile: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = #expect(throws: ServiceError.self) { try TrustState.admit(old, stateFile: path) }
        guard case .rejected(.rolledBack, let en, let zh)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(en.contains("version \(old.list.version) is older than version \(new.list.version)"), "\(en)")
        #expect(en.contains(new.authority.id.hex) && en.contains(path))
        #expect(zh.contains("旧") && zh.contains("\(new.list.version)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aNewerListIsAcceptedAndRemembered() throws {
        let (old, new) = try Self.twoLists()
        let dir = try TemporaryDirectory()
        let path = dir.file("state.json")
        try TrustState.admit(old, stateFile: path)
        #expect(try TrustState.load(path).versions == [old.authority.id: old.list.version])
        try TrustState.admit(new, stateFile: path)
        #expect(try TrustState.load(path).versions == [new.authority.id: new.list.version])
        // Canonical JSON with the documented format.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "{\"format\":\"yima-trust-state/1\",\"versions\":{\"\(new.authority.id.hex)\":\(new.list.version)}}\n")
    }

    @Test func theSameVersionAgainIsAccepted() throws {
        let (_, new) = try Self.twoLists()
        let dir = try TemporaryDirectory()
        let path = dir.file("state.json")
        try TrustState.admit(new, stateFile: path)
        try TrustState.admit(new, stateFile: path)
        #expect(try TrustState.load(path).versions[new.authority.id] == new.list.version)
    }

    @Test func aListIssuedInTheFutureBeyondTheSkewIsRefused() throws {
        let farm = try Farm()
        let envelope = try farm.keys.exportTrustList(signedWith: farm.authority, validity: .seconds(86_400))
        let issued = try TrustList(payload: envelope.payload).issued.instant
        // A verifier whose clock is 10 minutes behind the list's issue time refuses it…
        let behind = Instant(seconds: issued.seconds - 600)
        let error = #expect(throws: ServiceError.self) { try TrustListTests.load(envelope, farm, now: behind) }
        guard case .rejected(.issuedInFuture, let en, let zh)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(en.contains("more than 5 minutes ahead") && en.contains("check the clock"), "\(en)")
        #expect(zh.contains("超前 5 分钟以上"))
        // …and one within the 5-minute skew accepts it.
        _ = try TrustListTests.load(envelope, farm, now: Instant(seconds: issued.seconds - 240))
        #expect(VerifiedTrustList.clockSkew == .seconds(300))
    }

    @Test(arguments: ["", "not json", "{\"format\":\"yima-audit-state/1\",\"versions\":{}}",
                      "{\"format\":\"yima-trust-state/1\",\"versions\":{\"xyz\":3}}",
                      "{\"format\":\"yima-trust-state/1\",\"versions\":{\"0123456789abcdef\":\"3\"}}",
                      "{\"format\":\"yima-trust-state/1\",\"versions\":{\"0123456789abcdef\":-1}}",
                      "{\"format\":\"yima-trust-state/1\"}"])
    func aCorruptStateFileIsAClearError(content: String) throws {
        let (_, new) = try Self.twoLists()
        let dir = try TemporaryDirectory()
        let path = dir.file("state.json")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ServiceError.self) { try TrustState.admit(new, stateFile: path) }
        #expect(error?.message(in: .english).contains("the trust-list state file \(path) is corrupt (not a yima-trust-state/1 file)") == true,
                "\(String(describing: error))")
        #expect(error?.message(in: .chinese).contains("已损坏") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
    }
}
