import Foundation
import Testing
import YimaStore
import YimaTestSupport

/// Registration requests and request nonces (docs/api.md §Registration requests,
/// §Signed requests), on every engine.
@Suite struct RegistrationStoreTests {
    static func request(_ id: Character, code: String = "91350100M000100Y43", party: String = "coop", key: String = "652c9efcee3b780d",
                        at time: Int64 = 1_800_000_000) -> StoredRegistration {
        StoredRegistration(id: String(repeating: id, count: 64), partyID: party, name: "合作社", creditCode: code, keyID: key,
                           envelope: Array("{\"v\":1}".utf8), receivedAt: time)
    }

    @Test(arguments: Engine.all) func pendingRequestsShareNoCreditCodePartyOrKey(_ engine: Engine) throws {
        let engineStore = try EngineStore(engine)
        let store = engineStore.store
        let first = Self.request("a")
        try store.addRegistration(first, maximumPending: 10)
        #expect(try store.registration(id: first.id) == first)
        // Each member a pending request already has is refused, naming it and the request.
        for (other, conflict) in [(Self.request("b", party: "x", key: "0000000000000001"), StoredRegistration.Conflict.creditCode),
                                  (Self.request("c", code: "91610124MA6TG00005", key: "0000000000000002"), .partyID),
                                  (Self.request("d", code: "91610124MA6TG00005", party: "y"), .keyID)] {
            #expect(throws: StoreError.pendingRegistration(conflict, id: first.id)) { try store.addRegistration(other, maximumPending: 10) }
        }
        #expect(try store.registrations(status: .pending) == [first])

        // Once decided, the same credit code may ask again; a decision is made once.
        try store.decideRegistration(id: first.id, status: .rejected, at: 1_800_000_100, reason: "地址不全", record: nil)
        #expect(throws: StoreError.registrationNotPending(id: first.id)) {
            try store.decideRegistration(id: first.id, status: .approved, at: 1_800_000_200, reason: nil, record: nil)
        }
        let rejected = try #require(try store.registration(id: first.id))
        #expect(rejected.status == .rejected && rejected.reason == "地址不全" && rejected.decidedAt == 1_800_000_100)
        let again = Self.request("e", at: 1_800_000_300)
        try store.addRegistration(again, maximumPending: 10)
        try store.decideRegistration(id: again.id, status: .approved, at: 1_800_000_400, reason: nil, record: String(repeating: "f", count: 64))
        #expect(try store.registration(id: again.id)?.record == String(repeating: "f", count: 64))
        #expect(try store.registrations(status: .pending).isEmpty)
        #expect(try store.registrations(status: .rejected).map(\.id) == [first.id])
        #expect(try store.registration(id: String(repeating: "9", count: 64)) == nil)
    }

    @Test(arguments: Engine.all) func theQueueIsBounded(_ engine: Engine) throws {
        let engineStore = try EngineStore(engine)
        let store = engineStore.store
        try store.addRegistration(Self.request("a", code: "A1", party: "p1", key: "k1"), maximumPending: 2)
        try store.addRegistration(Self.request("b", code: "A2", party: "p2", key: "k2"), maximumPending: 2)
        #expect(throws: StoreError.registrationQueueFull(2)) {
            try store.addRegistration(Self.request("c", code: "A3", party: "p3", key: "k3"), maximumPending: 2)
        }
        #expect(try store.registrations(status: .pending).count == 2)
    }

    @Test(arguments: Engine.all) func aNonceIsAcceptedOnceUntilItExpires(_ engine: Engine) throws {
        let engineStore = try EngineStore(engine)
        let store = engineStore.store
        #expect(try store.useNonce(keyID: "k", nonce: "n1", now: 1000, expiresAt: 1900))
        #expect(try !store.useNonce(keyID: "k", nonce: "n1", now: 1500, expiresAt: 2400))
        // Another key's nonce is its own.
        #expect(try store.useNonce(keyID: "other", nonce: "n1", now: 1500, expiresAt: 2400))
        // Expired nonces are forgotten as new ones arrive.
        #expect(try store.useNonce(keyID: "k", nonce: "n1", now: 1901, expiresAt: 2801))
    }
}
