import Foundation
import Testing
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// The one write path, end to end over a real SQLite store with real keys: what is
/// accepted builds a verifiable chain; what is refused leaves the store exactly as
/// it was and says why.
@Suite struct SubmissionTests {
    // MARK: Happy path

    @Test(arguments: Engine.all) func seasonFromRegistrationToGenuineChain(_ engine: Engine) throws {
        let farm = try Farm(engine)
        try farm.submitEvent("input_application", daysAgo: 25, data: """
            {"input":"fertilizer","name":"腐熟羊粪有机肥","type":"有机肥","amount":{"unit":"KGM","value":"2000"},"date":"\(farm.date(daysAgo: 25))"}
            """)
        try farm.submitEvent("care", daysAgo: 20, data: #"{"activity":"irrigation","note":"滴灌 2 小时"}"#)
        try farm.submitEvent("harvest", daysAgo: 10, data: """
            {"date":"\(farm.date(daysAgo: 10))","quantity":{"unit":"KGM","value":"11800"}}
            """)
        try farm.submitEvent("inspection", daysAgo: 8, data: """
            {"laboratory":"\(Farm.labID)","items":[{"name":"吡虫啉","method":"GB/T 23379-2009","result":"未检出",
             "limit":"0.5","unit":"mg/kg","pass":true}],"pass":true,"report_number":"ZZJC-2026-0815"}
            """, key: farm.lab)
        let codes = try farm.issue(5)
        #expect(codes.count == 5 && Set(codes.map(\.serial)).count == 5)

        let chain = try farm.resolver.chain(for: codes[2].uri)
        #expect(chain.verdict == .genuine(keyID: farm.coop.id.hex, party: Farm.coopID))
        guard case .product(let product)? = chain.history.product?.record, case .batch(let batch) = chain.history.batch.record else {
            Issue.record("chain lacks its product or batch"); return
        }
        #expect(product.name == "周至猕猴桃" && batch.origin.division.rawValue == "610124103201")
        let events = chain.history.events.compactMap { entry -> Event? in
            if case .event(let event) = entry.record { return event }
            return nil
        }
        #expect(events.map(\.type.rawValue) == ["planting", "input_application", "input_application", "care", "harvest",
                                                 "inspection", "unit_issuance"])
        #expect(events.map(\.actor.rawValue) == [Farm.coopID, Farm.coopID, Farm.coopID, Farm.coopID, Farm.coopID,
                                                  Farm.labID, Farm.coopID])
        // Times move forward and each record links to the one before it.
        #expect(zip(events, events.dropFirst()).allSatisfy { !($1.time < $0.time) })
        let ids = [chain.history.batch.envelope.recordID] + chain.history.events.map(\.envelope.recordID)
        #expect(events.map(\.previous) == Array(ids.dropLast()))
        #expect(chain.history.events.map(\.stored.sequence) == chain.history.events.map(\.stored.sequence).sorted())
        #expect(chain.history.events.last?.signer?.id.rawValue == Farm.coopID)
        if case .unitIssuance(let issuance) = events.last?.data {
            #expect(issuance.count == 5 && issuance.keyID == farm.coop.id && issuance.unitsRoot != nil)
        } else {
            Issue.record("the last event is not the unit issuance")
        }
        #expect(farm.resolver.verifyChain(chain) == [])
        let state = try #require(try farm.store.batch(key: Farm.batchKey))
        #expect(state.unitCount == 5 && state.eventCount == 7 && state.headID == ids.last?.bytes)
    }

    /// Someone with the database file drops the append-only trigger and rewrites the
    /// spray's signature: the chain still assembles, and verifyChain names the record.
    @Test func verifyChainNoticesARewrittenRecord() throws {
        let farm = try Farm()
        let codes = try farm.issue(1)
        #expect(farm.resolver.verifyChain(try farm.resolver.chain(for: codes[0].uri)).isEmpty)
        let spray = try #require(farm.envelopes.last)
        var signature = spray.signature
        signature[10] ^= 0x01
        let rewritten = Envelope(algorithm: spray.algorithm, keyID: spray.keyID, payload: spray.payload, signature: signature)
        let hex = Hex.encode(rewritten.encoded)
        let sql = "DROP TRIGGER records_are_append_only_u; "
            + "UPDATE records SET envelope = x'\(hex)' WHERE id = x'\(spray.recordID.hex)';"
        let result = try run("sqlite3", [farm.dir.file("data/yima.sqlite"), sql])
        #expect(result.status == 0, "\(result.stderr)")
        // A verification reads the stored bytes again rather than the service's cache.
        let problems = farm.resolver.verifyChain(try farm.resolver.chain(for: codes[0].uri, fresh: true))
        #expect(problems.count == 1 && problems.first?.recordID == spray.recordID && problems.first?.check == .signature, "\(problems)")
    }

    // MARK: Rejections leave the store exactly as before

    /// Runs `body`, expects a `ServiceError` and an unchanged store, returns the error.
    func refusal(_ farm: Farm, sourceLocation: SourceLocation = #_sourceLocation,
                 _ body: () throws -> Void) throws -> ServiceError? {
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try body() }
        #expect(try farm.snapshot() == before, sourceLocation: sourceLocation)
        return error
    }

    func rule(_ error: ServiceError?) -> String? {
        if case .rule(let violation)? = error { return violation.rule.rawValue }
        return nil
    }

    func text(_ error: ServiceError?) -> String { error?.message(in: .english) ?? "" }

    @Test(arguments: Engine.all) func partyNotSignedByAnAuthority(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let smallholder = try PrivateKey.generate(.ed25519)
        let draft = Farm.party("louguan-wang", name: "楼观镇王家果园", roles: ["producer"], credit: "91350100M000100Y43",
                               address: "陕西省西安市周至县楼观镇", key: smallholder)
        let error = try refusal(farm) { try farm.recording.submit(draft: draft, kind: .party, key: farm.coop) }
        #expect(text(error).contains("must be signed by the county authority"))
        #expect(try farm.store.partyRecord(id: "louguan-wang") == nil)
        // The authority's signature on the same draft is accepted.
        try farm.recording.submit(draft: draft, kind: .party, key: farm.authority)
        #expect(try farm.store.partyRecord(forKey: smallholder.id.hex) != nil)
    }

    @Test(arguments: Engine.all) func productDefinedByAPartyWithoutProducerRole(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let draft = Farm.product(gtin: "02961012400081")
        let error = try refusal(farm) { try farm.recording.submit(draft: draft, kind: .product, key: farm.lab) }
        #expect(text(error).contains("\(Farm.labID) may not define products"))
        let carrier = try refusal(farm) { try farm.recording.submit(draft: draft, kind: .product, key: farm.carrier) }
        #expect(text(carrier).contains("may not define products"))
        #expect(try farm.store.productRecord(gtin: "02961012400081") == nil)
        try farm.recording.submit(draft: draft, kind: .product, key: farm.familyFarm)
        #expect(try farm.store.productRecord(gtin: "02961012400081") != nil)
    }

    @Test(arguments: Engine.all) func batchWhoseOwnerIsNotTheSigner(_ engine: Engine) throws {
        let farm = try Farm(engine)
        // The family farm signs a batch claiming the cooperative owns it.
        let draft = Farm.batch(lot: "2026-KIWI-08", owner: Farm.coopID)
        let error = try refusal(farm) { try farm.recording.submit(draft: draft, kind: .batch, key: farm.familyFarm) }
        #expect(text(error).contains("batch owner \(Farm.coopID) is not the signer \(Farm.farmID)"))
        #expect(try farm.store.batch(key: "\(Farm.gtin)/2026-KIWI-08") == nil)
        try farm.recording.submit(draft: draft, kind: .batch, key: farm.coop)
        #expect(try farm.store.batch(key: "\(Farm.gtin)/2026-KIWI-08")?.owner == Farm.coopID)
    }

    @Test(arguments: Engine.all) func eventWhoseActorIsNotTheSigner(_ engine: Engine) throws {
        let farm = try Farm(engine)
        // The carrier signs a storing event in the cooperative's name.
        let forged = try farm.envelope("storing", actor: Farm.coopID, time: farm.time(daysAgo: 5),
                                       data: #"{"location":"周至县冷库 2 号","temperature":"0.5"}"#, key: farm.carrier)
        let error = try refusal(farm) { try farm.recording.submit(forged) }
        #expect(text(error).contains("actor \(Farm.coopID) is not the signer \(Farm.carrierID)"))
        let own = try farm.envelope("storing", actor: Farm.carrierID, time: farm.time(daysAgo: 5),
                                    data: #"{"location":"周至县冷库 2 号","temperature":"0.5"}"#, key: farm.carrier)
        try farm.recording.submit(own)
    }

    @Test(arguments: Engine.all) func eventOfAnUnknownBatch(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let head = Hex.encode(try #require(try farm.store.batch(key: Farm.batchKey)).headID)
        let stray = try farm.envelope("care", prev: head, time: farm.time(daysAgo: 5),
                                      data: #"{"activity":"weeding"}"#, lot: "2026-KIWI-99")
        let error = try refusal(farm) { try farm.recording.submit(stray) }
        #expect(text(error).contains("unknown batch \(Farm.gtin)/2026-KIWI-99"))
        #expect(try farm.store.records(batchKey: "\(Farm.gtin)/2026-KIWI-99").isEmpty)
    }

    @Test(arguments: Engine.all) func harvestInsideTheSafetyInterval(_ engine: Engine) throws {
        let farm = try Farm(engine)  // 吡虫啉 sprayed 30 days ago, 14-day interval
        let error = try refusal(farm) {
            try farm.submitEvent("harvest", daysAgo: 20, data: """
                {"date":"\(farm.date(daysAgo: 20))","quantity":{"unit":"KGM","value":"11800"}}
                """)
        }
        #expect(rule(error) == "safety-interval")
        #expect(text(error).contains("吡虫啉") && text(error).contains("earliest harvest date is \(farm.date(daysAgo: 16))"))
        // On the first allowed day it is accepted.
        try farm.submitEvent("harvest", daysAgo: 15, data: """
            {"date":"\(farm.date(daysAgo: 16))","quantity":{"unit":"KGM","value":"11800"}}
            """)
    }

    @Test(arguments: Engine.all) func bannedPesticide(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let error = try refusal(farm) {
            try farm.submitEvent("input_application", daysAgo: 20,
                                 data: Farm.spray("克无踪", ingredient: "20%百草枯水剂", date: farm.date(daysAgo: 20), interval: 10))
        }
        #expect(rule(error) == "banned-pesticide")
        #expect(error?.message(in: .chinese).contains("百草枯") == true)
        try farm.submitEvent("input_application", daysAgo: 20,
                             data: Farm.spray("阿维菌素", ingredient: "阿维菌素 1.8%", date: farm.date(daysAgo: 20), interval: 14))
    }

    @Test(arguments: Engine.all) func eventDatedBeforeThePreviousOne(_ engine: Engine) throws {
        let farm = try Farm(engine)  // the last event is 30 days old
        let error = try refusal(farm) {
            try farm.submitEvent("care", daysAgo: 31, data: #"{"activity":"pruning","note":"夏季修剪"}"#)
        }
        #expect(rule(error) == "time-order")
        try farm.submitEvent("care", daysAgo: 30, data: #"{"activity":"pruning","note":"夏季修剪"}"#)  // equal is fine
    }

    @Test(arguments: Engine.all) func eventInTheFutureBeyondFiveMinutes(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let error = try refusal(farm) {
            try farm.submitEvent("care", time: Farm.time(Date().addingTimeInterval(10 * 60)), data: #"{"activity":"irrigation"}"#)
        }
        #expect(rule(error) == "future-time")
        // Within the five minutes a signer's clock may run ahead.
        try farm.submitEvent("care", time: Farm.time(Date().addingTimeInterval(3 * 60)), data: #"{"activity":"irrigation"}"#)
    }

    @Test(arguments: Engine.all) func eventWithAWrongPrev(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let planting = try #require(try farm.events().first).id  // the head is the spray, not the planting
        let fork = try farm.envelope("care", prev: planting.hex, time: farm.time(daysAgo: 5), data: #"{"activity":"weeding"}"#)
        let error = try refusal(farm) { try farm.recording.submit(fork) }
        #expect(rule(error) == "chain-link")
        let unrelated = try farm.envelope("care", prev: String(repeating: "ab", count: 32), time: farm.time(daysAgo: 5),
                                          data: #"{"activity":"weeding"}"#)
        #expect(rule(try refusal(farm) { try farm.recording.submit(unrelated) }) == "chain-link")
    }

    @Test(arguments: Engine.all) func replayOfTheSameEnvelopeIsRefused(_ engine: Engine) throws {
        let farm = try Farm(engine)
        // Every kind: the parties, product, batch and both events set up so far.
        #expect(farm.envelopes.count == 8)
        for envelope in farm.envelopes {
            _ = try refusal(farm) { try farm.recording.submit(envelope) }
        }
        #expect(try farm.store.recordCount() == 8)
    }

    /// A client that retries after a lost response must learn its record is already
    /// stored, not that the chain moved on.
    @Test(arguments: Engine.all) func replayOfTheLatestEventIsReportedAsADuplicate(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let latest = try #require(farm.envelopes.last)
        let error = try refusal(farm) { try farm.recording.submit(latest) }
        guard case .store(.duplicateRecord(let id))? = error else {
            Issue.record("expected a duplicate-record refusal, got \(text(error))"); return
        }
        #expect(id == latest.recordID.hex)
    }

    @Test(arguments: Engine.all) func envelopeWithAFlippedSignatureByte(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let genuine = try farm.envelope("care", time: farm.time(daysAgo: 5), data: #"{"activity":"irrigation"}"#)
        for index in [0, 31, 63] {
            var signature = genuine.signature
            signature[index] ^= 0x01
            let flipped = Envelope(algorithm: genuine.algorithm, keyID: genuine.keyID, payload: genuine.payload, signature: signature)
            let error = try refusal(farm) { try farm.recording.submit(flipped) }
            guard case .envelope(.badSignature)? = error else {
                Issue.record("byte \(index): expected a bad signature, got \(text(error))"); continue
            }
        }
        try farm.recording.submit(genuine)
    }

    @Test(arguments: Engine.all) func envelopeSignedByAnUnregisteredKey(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let stranger = try PrivateKey.generate(.ed25519)
        let envelope = try farm.envelope("care", time: farm.time(daysAgo: 5), data: #"{"activity":"irrigation"}"#, key: stranger)
        let error = try refusal(farm) { try farm.recording.submit(envelope) }
        #expect(text(error).contains("key \(stranger.id.hex) belongs to no registered party"))
        // Also for products and batches.
        let product = try Envelope.sign(Record(json: Farm.json("""
            {"v":1,"kind":"product","gtin":"02961012400081","name":"周至猕猴桃","category":"fruit","certificates":[]}
            """)), with: stranger)
        _ = try refusal(farm) { try farm.recording.submit(product) }
    }

    @Test(arguments: Engine.all) func packingASerialThatWasNeverIssued(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(2)
        let error = try refusal(farm) {
            try farm.submitEvent("packing", time: Farm.time(Date()), data: """
                {"sscc":"069012340000000016","units":["\(codes[0].serial)","7QK2M9X4PD"]}
                """)
        }
        #expect(rule(error) == "unit-not-issued")
        #expect(text(error).contains("7QK2M9X4PD"))
        #expect(try farm.store.container(of: "\(Farm.batchKey)/\(codes[0].serial)") == nil)
    }

    @Test(arguments: Engine.all) func packingTheSameUnitTwice(_ engine: Engine) throws {
        let farm = try Farm(engine)
        let codes = try farm.issue(3)
        try farm.submitEvent("packing", time: Farm.time(Date()), data: """
            {"sscc":"069012340000000016","units":["\(codes[0].serial)","\(codes[1].serial)"]}
            """)
        let error = try refusal(farm) {
            try farm.submitEvent("packing", time: Farm.time(Date()), data: """
                {"sscc":"069012340000000023","units":["\(codes[2].serial)","\(codes[1].serial)"]}
                """)
        }
        #expect(rule(error) == "packed-twice")
        #expect(try farm.store.container(of: "\(Farm.batchKey)/\(codes[1].serial)") == "069012340000000016")
        #expect(try farm.store.container(of: "\(Farm.batchKey)/\(codes[2].serial)") == nil)
        let chain = try farm.resolver.chain(for: codes[1].uri)
        #expect(chain.container == "069012340000000016")
    }
}
