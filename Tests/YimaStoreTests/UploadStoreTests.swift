import Foundation
import Testing
import YimaStore
import YimaTestSupport

/// Upward reporting's positions and external trace codes on every engine: the
/// position moves only through a pending batch, forward, one uploader at a time; a
/// trace code names one target for ever.
@Suite struct UploadStoreTests {
    static let receiver = "https://province.example/yima/batches"

    @Test(arguments: Engine.all) func positionMovesOnlyThroughThePendingBatch(_ engine: Engine) throws {
        let f = try StoreTests.Fixture(engine)
        let store = f.store
        #expect(try store.uploadPosition(receiver: Self.receiver) == UploadPosition(receiver: Self.receiver))
        #expect(try store.uploadPositions().isEmpty)

        let first = PendingUpload(first: 0, last: 1, key: "k0", format: "national")
        try store.beginUpload(receiver: Self.receiver, batch: first)
        // The same batch again (a restart) is fine; another one is not.
        try store.beginUpload(receiver: Self.receiver, batch: first)
        #expect(throws: StoreError.uploadConflict("batch k0 is pending")) {
            try store.beginUpload(receiver: Self.receiver, batch: PendingUpload(first: 0, last: 2, key: "k1", format: "national"))
        }
        try store.noteUploadFailure(receiver: Self.receiver, message: "HTTP 503: busy", at: 1_800_000_000)
        var position = try store.uploadPosition(receiver: Self.receiver)
        #expect(position.pending == first && position.acceptedThrough == -1)
        #expect(position.lastError == "HTTP 503: busy" && position.lastErrorAt == 1_800_000_000)

        #expect(throws: StoreError.uploadConflict("batch other is not pending")) {
            try store.acceptUpload(receiver: Self.receiver, key: "other", at: 1_800_000_001)
        }
        try store.acceptUpload(receiver: Self.receiver, key: "k0", at: 1_800_000_002)
        position = try store.uploadPosition(receiver: Self.receiver)
        #expect(position.acceptedThrough == 1 && position.pending == nil && position.lastError == nil)
        #expect(position.lastAcceptedAt == 1_800_000_002)
        // Accepting twice, or a batch that does not start after the accepted position, is refused.
        #expect(throws: StoreError.uploadConflict("batch k0 is not pending")) {
            try store.acceptUpload(receiver: Self.receiver, key: "k0", at: 1_800_000_003)
        }
        #expect(throws: StoreError.uploadConflict("next position is 2, not 1")) {
            try store.beginUpload(receiver: Self.receiver, batch: PendingUpload(first: 1, last: 2, key: "k2", format: "national"))
        }
        try store.beginUpload(receiver: Self.receiver, batch: PendingUpload(first: 2, last: 2, key: "k2", format: "national"))
        // Receivers are independent.
        #expect(try store.uploadPosition(receiver: "http://other.example/").acceptedThrough == -1)
        #expect(try store.uploadPositions().map(\.receiver) == [Self.receiver])
    }

    @Test(arguments: Engine.all) func aTraceCodeNamesOneTargetForEver(_ engine: Engine) throws {
        let f = try StoreTests.Fixture(engine)
        let store = f.store
        _ = try store.append(StoreTests.event(4, extra: [.assignAlias(code: "SC-510000-0001", batchKey: StoreTests.batchKey, serial: nil)]),
                             expectedHead: StoreTests.id(3))
        let stored = try #require(try store.alias(code: "SC-510000-0001"))
        #expect(stored.batchKey == StoreTests.batchKey && stored.serial == nil && stored.recordSequence == 3)
        #expect(try store.alias(code: "sc-510000-0001") == nil)  // exact match: case matters

        // The same code again, for this batch or a unit of it: refused, nothing stored.
        let before = try f.snapshot()
        #expect(throws: StoreError.duplicateAlias(code: "SC-510000-0001", batch: StoreTests.batchKey)) {
            try store.append(StoreTests.event(5, extra: [.assignAlias(code: "SC-510000-0001", batchKey: StoreTests.batchKey,
                                                                      serial: "K7Q2M9X4")]),
                             expectedHead: StoreTests.id(4))
        }
        #expect(try f.snapshot() == before)
        _ = try store.append(StoreTests.event(6, extra: [.assignAlias(code: "SC-510000-0002", batchKey: StoreTests.batchKey,
                                                                      serial: "K7Q2M9X4")]),
                             expectedHead: StoreTests.id(4))
        #expect(try store.aliases(batchKey: StoreTests.batchKey).map(\.code) == ["SC-510000-0001", "SC-510000-0002"])
        #expect(try store.aliases(batchKey: StoreTests.batchKey).last?.serial == "K7Q2M9X4")
    }
}
