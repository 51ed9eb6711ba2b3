import Foundation
import Testing
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// Recalls (docs/records.md §Event `recall`) and `recallTrace`.
@Suite struct RecallTests {
    @Test(arguments: Engine.all) func onlyTheOwnerOrARegulatorRecallsAndABadRecallStoresNothing(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.recalls.recall(batch: Farm.reference, reason: "冒名召回", action: "无", key: farm.familyFarm)
        }
        guard case .rule(let violation)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(violation.rule == .role)
        #expect(violation.message(in: .english).contains("or the batch owner"))
        // Units never issued are refused too.
        #expect(throws: ServiceError.self) {
            try farm.recalls.recall(batch: Farm.reference, units: ["NOSUCHUNIT"], reason: "抽检", action: "下架", key: farm.coop)
        }
        #expect(try farm.snapshot() == before)
        #expect(try farm.store.notices(type: "recall").isEmpty)
    }

    @Test(arguments: Engine.all) func aUnitRecallCoversOnlyItsUnitsAndMovesTheHead(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(2)
        let head = try #require(try farm.store.batch(key: Farm.batchKey)).headID
        try farm.recalls.recall(batch: Farm.reference, units: [codes[1].serial], reason: "包装破损", action: "退回", key: farm.coop)
        #expect(try farm.store.batch(key: Farm.batchKey)?.headID != head)
        #expect(try farm.resolver.chain(for: codes[0].uri).recall == nil)
        let notice = try #require(try farm.resolver.chain(for: codes[1].uri).recall)
        #expect(notice.reason == "包装破损" && notice.units.map(\.rawValue) == [codes[1].serial] && notice.by.rawValue == Farm.coopID)
        #expect(try farm.store.notices(type: "recall").count == 1)
    }

    @Test(arguments: Engine.all) func aPartyWindowRecallsEveryBatchWithEventsInIt(_ engine: Engine) throws {
        let farm = try Farm(engine)
        try farm.recording.submit(draft: Farm.batch(lot: "2026-KIWI-08"), kind: .batch, key: farm.coop)
        let before = try farm.snapshot()
        // No event of the coop 100–90 days ago: nothing recalled, nothing stored.
        #expect(throws: ServiceError.self) {
            try farm.recalls.recall(party: Farm.coopID, from: farm.time(daysAgo: 100), until: farm.time(daysAgo: 90),
                                    reason: "r", action: "a", key: farm.coop)
        }
        #expect(try farm.snapshot() == before)
        // The spray 30 days ago falls in the window: the batch with it is recalled, the new empty one not.
        let stored = try farm.recalls.recall(party: Farm.coopID, from: farm.time(daysAgo: 31), until: farm.time(daysAgo: 29),
                                             reason: "违规用药嫌疑", action: "暂停销售", key: farm.coop)
        #expect(stored.map(\.batchKey) == [Farm.batchKey])
    }

    @Test(arguments: Engine.all) func traceFollowsPalletsToCartonsToUnits(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(4)
        try farm.submitEvent("packing", daysAgo: 0, data: #"{"sscc":"069200000000000012","units":["\#(codes[0].serial)","\#(codes[1].serial)"]}"#)
        try farm.submitEvent("packing", daysAgo: 0, data: #"{"sscc":"069200000000000029","units":["\#(codes[2].serial)"]}"#)
        try farm.submitEvent("packing", daysAgo: 0, data: #"{"sscc":"069200000000000036","cartons":["069200000000000012"]}"#)
        try farm.submitEvent("shipping", daysAgo: 0, data: """
            {"from":"\(Farm.coopID)","to":"\(Farm.carrierID)","carrier":"\(Farm.carrierID)","sscc":["069200000000000036"]}
            """)
        try farm.submitEvent("receiving", daysAgo: 0, data: """
            {"from":"\(Farm.coopID)","sscc":["069200000000000029"]}
            """, key: farm.carrier)
        try farm.recalls.recall(batch: Farm.reference, reason: "农残超标", action: "下架封存", key: farm.coop)

        let rows = Dictionary(uniqueKeysWithValues: try farm.recalls.trace(batch: Farm.reference).map { ($0.serial, $0) })
        #expect(rows.count == 4)
        let onPallet = try #require(rows[codes[0].serial])
        #expect(onPallet.carton == "069200000000000012" && onPallet.pallet == "069200000000000036")
        #expect(onPallet.lastStep == .shipping && onPallet.holder == Farm.carrierID && onPallet.recalled)
        #expect(rows[codes[1].serial]?.lastStep == .shipping)
        let received = try #require(rows[codes[2].serial])
        #expect(received.carton == "069200000000000029" && received.pallet == nil && received.lastStep == .receiving)
        #expect(received.holder == Farm.carrierID)
        let stayed = try #require(rows[codes[3].serial])
        #expect(stayed.carton == nil && stayed.lastStep == nil && stayed.holder == Farm.coopID)
        #expect(CSVLine.encode(stayed.csvFields) == "\(codes[3].serial),,,,,\(Farm.coopID),yes\r\n")
    }
}
