import Testing
import YimaCodes
@testable import YimaRecords

@Suite("Domain rules")
struct RulesTests {
    typealias F = Fixtures

    static let lab = try! Party(id: PartyID("county-lab"), name: "县农产品质量检测站", roles: [.laboratory],
                                identifier: .creditCode(UnifiedSocialCreditCode(F.validCreditCode)), address: "周至县", publicKeys: [])
    static let carrier = try! Party(id: PartyID("cold-chain"), name: "冷链物流", roles: [.carrier],
                                    identifier: .creditCode(UnifiedSocialCreditCode(F.validCreditCode)), address: "西安", publicKeys: [])

    static let sprayed = RecordedEvent(F.pesticideEvent)  // 吡虫啉 on 2026-08-20, 14 days

    func context(prior: [RecordedEvent] = [sprayed], actor: Party = F.producer, units: [Serial: UnitState] = [:],
                 product: Product = F.product) -> RuleContext {
        RuleContext(batch: F.batch, batchRecordID: F.batchID, product: product, priorEvents: prior, actor: actor,
                    units: units, now: F.time("2026-11-01T12:00:00+08:00").instant)
    }

    func event(_ data: EventData, time: String = "2026-09-10T08:00:00+08:00", prev: RecordID? = nil,
               actor: PartyID = F.producerID, prior: [RecordedEvent] = [sprayed]) -> Event {
        try! Event(batch: F.batchReference, previous: prev ?? prior.last?.id ?? F.batchID, time: F.time(time), actor: actor, data: data)
    }

    func violation(_ event: Event, _ context: RuleContext) -> RuleViolation? {
        do { try Rules.check(event, in: context); return nil } catch { return error }
    }

    func harvest(on date: String) -> EventData { .harvest(date: F.date(date), quantity: F.kilograms("500")) }

    @Test func safetyInterval() throws {
        let early = try #require(violation(event(harvest(on: "2026-09-02")), context()))
        #expect(early.rule == .safetyInterval && early.fields == ["data.date"])
        #expect(early.message().contains("吡虫啉") && early.message().contains("2026-08-20") && early.message().contains("14 天")
                && early.message().contains("2026-09-03"))
        #expect(early.message(in: .english).contains("earliest harvest date is 2026-09-03"))
        #expect(violation(event(harvest(on: "2026-09-03")), context()) == nil)  // interval over that day
        #expect(violation(event(harvest(on: "2026-09-04")), context()) == nil)  // a day after: fine

        // An earlier application with a longer interval still binds.
        let long = RecordedEvent(try Event(batch: F.batchReference, previous: F.batchID, time: F.time("2026-08-01T07:00:00+08:00"),
            actor: F.producerID, data: .pesticide(PesticideApplication(name: "阿维菌素", registrationNumber: PesticideRegistrationNumber("PD20070001"),
                activeIngredient: "阿维菌素 1.8%", dose: Dose(value: F.decimal("1"), unit: "毫升/升"), method: "喷雾",
                date: F.date("2026-08-01"), safetyIntervalDays: 40))))
        let short = RecordedEvent(try Event(batch: F.batchReference, previous: long.id, time: F.time("2026-08-20T07:30:00+08:00"),
            actor: F.producerID, data: F.pesticideEvent.data))
        let binding = try #require(violation(event(harvest(on: "2026-09-05"), prior: [long, short]), context(prior: [long, short])))
        #expect(binding.rule == .safetyInterval && binding.message().contains("阿维菌素") && binding.message().contains("2026-09-10"))
    }

    func spray(_ name: String, ingredient: String? = nil, date: String = "2026-08-25") -> EventData {
        .pesticide(PesticideApplication(name: name, registrationNumber: try! PesticideRegistrationNumber("PD20080123"),
                                        activeIngredient: ingredient ?? name, dose: Dose(value: F.decimal("1.5"), unit: "毫升/亩"),
                                        method: "喷雾", date: F.date(date), safetyIntervalDays: 7))
    }

    @Test func bannedPesticide() throws {
        let banned = try #require(violation(event(spray("百草枯")), context()))
        #expect(banned.rule == .bannedPesticide && banned.fields == ["data.name"])
        #expect(banned.message().contains("百草枯") && banned.message(in: .english).contains("paraquat"))
        // Aliases, English, case, spaces and full-width forms.
        for name in ["Paraquat", "PARA QUAT", "克无踪", "２，４－滴 丁酯", "40%毒死蜱乳油"] {
            #expect(violation(event(spray("某牌杀虫剂", ingredient: name)), context(product: vegetable))?.rule == .bannedPesticide, "\(name)")
        }
        #expect(violation(event(spray("某牌杀虫剂", ingredient: "Paraquat")), context())?.fields == ["data.active_ingredient"])
        // Scope: chlorpyrifos is banned on vegetables only; fine on a fruit.
        #expect(violation(event(spray("毒死蜱")), context()) == nil)
        // Restricted on fruit: 氧乐果 (longest-name match, not 乐果).
        let omethoate = try #require(violation(event(spray("氧乐果")), context()))
        #expect(omethoate.message().hasPrefix("氧乐果"))
        // Dated bans: 甲拌磷 on grain is legal before 2024-09-01 and banned after.
        let grain = try Product(gtin: F.gtin, name: "小麦", category: .grain)
        #expect(violation(event(spray("甲拌磷", date: "2024-08-31")), context(product: grain)) == nil)
        #expect(violation(event(spray("甲拌磷", date: "2024-09-01")), context(product: grain))?.rule == .bannedPesticide)
        // Crop-specific: 丁酰肼 on peanuts only.
        let peanut = try Product(gtin: F.gtin, name: "花生", category: .oilseed)
        #expect(violation(event(spray("丁酰肼")), context(product: peanut))?.rule == .bannedPesticide)
        #expect(violation(event(spray("丁酰肼")), context(product: grain)) == nil)
        // An ordinary pesticide passes.
        #expect(violation(event(spray("吡虫啉")), context()) == nil)
    }

    var vegetable: Product { try! Product(gtin: F.gtin, name: "白菜", category: .vegetable) }

    @Test func bundledListIsComplete() {
        let list = BannedPesticideList.bundled
        let bannedEverywhere = list.pesticides.filter { $0.bans.contains { $0.appliesToAllCrops && $0.from == nil && $0.note?.contains("种子包衣") != true } }
        #expect(bannedEverywhere.count == 46)
        #expect(list.pesticides.count == 66)
        #expect(list.sources["moa-536"] != nil && list.sources["moa-736"] != nil)
    }

    @Test func timeOrderAndFutureTime() throws {
        let backwards = try #require(violation(event(harvest(on: "2026-09-10"), time: "2026-08-20T07:29:59+08:00"), context()))
        #expect(backwards.rule == .timeOrder && backwards.fields == ["time"])
        // Same instant written in another offset is not earlier.
        #expect(violation(event(harvest(on: "2026-09-10"), time: "2026-08-19T23:30:00+00:00"), context()) == nil)

        let future = try #require(violation(event(harvest(on: "2026-09-10"), time: "2026-11-01T12:05:01+08:00"), context()))
        #expect(future.rule == .futureTime && future.fields == ["time"] && future.message().contains("5 分钟"))
        #expect(violation(event(harvest(on: "2026-09-10"), time: "2026-11-01T12:05:00+08:00"), context()) == nil)
    }

    @Test func role() throws {
        let inspection = EventData.inspection(laboratory: Self.lab.id, items: [InspectionItem(name: "毒死蜱", method: "GB 23200.113-2018",
                                              result: "未检出", limit: "2", unit: "mg/kg", pass: true)], pass: true, reportNumber: "ZZ2026-0912")
        let byProducer = try #require(violation(event(inspection), context()))
        #expect(byProducer.rule == .role && byProducer.fields == ["actor", "type"])
        #expect(byProducer.message().contains("检测机构") && byProducer.message(in: .english).contains("laboratory"))
        #expect(violation(event(inspection, actor: Self.lab.id), context(actor: Self.lab)) == nil)

        let shipping = EventData.shipping(from: F.producerID, to: try PartyID("xian-market"), carrier: Self.carrier.id, units: [], containers: [])
        #expect(violation(event(harvest(on: "2026-09-10"), actor: Self.carrier.id), context(actor: Self.carrier))?.rule == .role)
        #expect(violation(event(shipping, actor: Self.carrier.id), context(actor: Self.carrier)) == nil)
        #expect(violation(event(shipping), context()) == nil)  // the batch owner ships its own batch
        #expect(violation(event(shipping, actor: Self.lab.id), context(actor: Self.lab))?.rule == .role)

        // Corrections: the original signer may, others may not.
        let correction = EventData.correction(corrects: Self.sprayed.id, reason: "剂量录入错误", replacement: nil)
        #expect(violation(event(correction), context()) == nil)
        #expect(violation(event(correction, actor: Self.lab.id), context(actor: Self.lab))?.rule == .role)
    }

    func serial(_ text: String) -> Serial { try! Serial(text) }
    let carton = try! SSCC("069012340000000016")
    let otherCarton = try! SSCC("069012340000000023")

    @Test func unitsMustBeIssuedAndPackedOnce() throws {
        let issued: [Serial: UnitState] = [serial("K3M9Q2ZC7W1A"): .issued, serial("K3M9Q2ZC7W1B"): .packed(into: otherCarton)]
        let notIssued = try #require(violation(event(.packing(sscc: carton, contents: .units([serial("K3M9Q2ZC7W1A"), serial("ZZZZ")]))),
                                               context(units: issued)))
        #expect(notIssued.rule == .unitNotIssued && notIssued.fields == ["data.units[1]"])

        let twice = try #require(violation(event(.packing(sscc: carton, contents: .units([serial("K3M9Q2ZC7W1B")]))), context(units: issued)))
        #expect(twice.rule == .packedTwice && twice.fields == ["data.units[0]"] && twice.message().contains(otherCarton.rawValue))

        #expect(violation(event(.packing(sscc: carton, contents: .units([serial("K3M9Q2ZC7W1A")]))), context(units: issued)) == nil)

        // Packed by an earlier event in the chain, even if the store's state lags.
        let packed = RecordedEvent(event(.packing(sscc: otherCarton, contents: .units([serial("K3M9Q2ZC7W1A")]))))
        let again = event(.packing(sscc: carton, contents: .units([serial("K3M9Q2ZC7W1A")])), prior: [Self.sprayed, packed])
        #expect(violation(again, context(prior: [Self.sprayed, packed], units: issued))?.rule == .packedTwice)

        // Cartons onto two pallets.
        let pallet = try SSCC("069012340000000030")
        let palletised = RecordedEvent(event(.packing(sscc: pallet, contents: .cartons([carton]))))
        let secondPallet = event(.packing(sscc: try SSCC("069012340000000047"), contents: .cartons([carton])), prior: [Self.sprayed, palletised])
        let cartonTwice = try #require(violation(secondPallet, context(prior: [Self.sprayed, palletised])))
        #expect(cartonTwice.rule == .packedTwice && cartonTwice.fields == ["data.cartons[0]"])

        // Shipping an unknown unit.
        let shipping = EventData.shipping(from: F.producerID, to: try PartyID("xian-market"), carrier: F.producerID,
                                          units: [serial("NOPE")], containers: [])
        #expect(violation(event(shipping), context(units: issued))?.rule == .unitNotIssued)
        #expect(violation(event(shipping), context(units: issued))?.fields == ["data.units[0]"])
    }

    @Test func chainLink() throws {
        let stale = try #require(violation(event(harvest(on: "2026-09-10"), prev: F.batchID), context()))
        #expect(stale.rule == .chainLink && stale.fields == ["prev"])
        #expect(stale.message().contains(Self.sprayed.id.hex))
        // The first event links to the batch record itself.
        #expect(violation(event(.planting(method: "移栽", area: nil, note: nil), time: "2026-03-01T09:00:00+08:00", prior: []),
                          context(prior: [])) == nil)
    }

    @Test func everyRuleHasAStableIdentifier() {
        #expect(RuleViolation.Rule.allCases.map(\.rawValue).sorted() == ["actor-mismatch", "banned-pesticide", "batch-mismatch",
            "certificate-receipt", "certificate-split", "chain-link", "failed-inspection", "future-time", "mass-balance", "packed-twice",
            "role", "safety-interval", "test-coverage", "time-order", "unit-not-issued"])
    }
}
