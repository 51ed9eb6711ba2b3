import Testing
import YimaCodes
import YimaCrypto
@testable import YimaRecords

/// The 2026 certificate rules and the mass balance (docs/records.md §Certificate,
/// §Mass balance): each with a case that passes and one that is refused.
@Suite("Certificate rules and mass balance")
struct CertificateRulesTests {
    typealias F = Fixtures

    static let lab = try! Party(id: PartyID("county-lab"), name: "县农产品质量检测站", roles: [.laboratory],
                                identifier: .creditCode(UnifiedSocialCreditCode(F.validCreditCode)), address: "周至县", publicKeys: [])
    static let market = try! Party(id: PartyID("xian-market"), name: "西安果品批发市场", roles: [.market],
                                   identifier: .creditCode(UnifiedSocialCreditCode(F.validCreditCode)), address: "西安", publicKeys: [])

    /// A chain built event by event, each linked to the one before.
    struct Chain {
        var events: [RecordedEvent] = []
        var day = 1

        @discardableResult
        mutating func add(_ data: EventData, actor: PartyID = F.producerID) -> RecordID {
            let event = next(data, actor: actor)
            events.append(RecordedEvent(event))
            return events.last!.id
        }

        mutating func next(_ data: EventData, actor: PartyID = F.producerID) -> Event {
            day += 1
            let time = F.time("2026-09-\(day < 10 ? "0" : "")\(day)T08:00:00+08:00")
            return try! Event(batch: F.batchReference, previous: events.last?.id ?? F.batchID, time: time, actor: actor, data: data)
        }

        func context(actor: Party = F.producer) -> RuleContext {
            RuleContext(batch: F.batch, batchRecordID: F.batchID, product: F.product, priorEvents: events, actor: actor,
                        now: F.time("2026-11-01T12:00:00+08:00").instant)
        }

        /// The first violation of the next event with `data`, or nil.
        mutating func check(_ data: EventData, actor: Party = F.producer) -> RuleViolation? {
            let event = next(data, actor: actor.id)
            day -= 1
            do { try Rules.check(event, in: context(actor: actor)); return nil } catch { return error }
        }
    }

    static func spray(_ ingredient: String, date: String = "2026-08-01") -> EventData {
        .pesticide(PesticideApplication(name: ingredient, registrationNumber: try! PesticideRegistrationNumber("PD20080123"),
                                        activeIngredient: ingredient, dose: Dose(value: F.decimal("1"), unit: "毫升/亩"),
                                        method: "喷雾", date: F.date(date), safetyIntervalDays: 7))
    }

    static func inspection(_ names: String...) -> EventData {
        .inspection(laboratory: lab.id, items: names.map { InspectionItem(name: $0, method: "GB 23200.121-2021", result: "未检出", pass: true) },
                    pass: true, reportNumber: "ZZ-2026-0901")
    }

    static func certificate(_ kilograms: String, basis: ComplianceCertificate.Basis = .internalControl, sources: [RecordID] = []) -> EventData {
        .certificate(ComplianceCertificate(number: "C-\(kilograms)", quantity: F.kilograms(kilograms), basis: basis,
                                           contact: "029-87000000", sources: sources))
    }

    static func harvest(_ quantity: Quantity) -> EventData { .harvest(date: F.date("2026-09-01"), quantity: quantity) }

    // MARK: certificate-split

    @Test func oneCertificatePerBatchUnlessItIsSplit() {
        var chain = Chain()
        chain.add(Self.harvest(F.kilograms("1000")))
        #expect(chain.check(Self.certificate("600")) == nil)
        let first = chain.add(Self.certificate("600"))
        let second = chain.check(Self.certificate("100"))
        #expect(second?.rule == .certificateSplit && second?.fields == ["data.sources"])
        #expect(second?.message().contains("C-600") == true && second?.message(in: .english).contains(first.hex) == true)
        // Naming the certificate it splits: allowed, and accounted under it.
        #expect(chain.check(Self.certificate("100", sources: [first])) == nil)
        // A source in another batch (a merge) does not make it a split of this batch's certificate.
        let elsewhere = RecordID(payload: Array("another batch's certificate".utf8))
        #expect(chain.check(Self.certificate("100", sources: [elsewhere]))?.rule == .certificateSplit)
        // A correction withdrawing the first certificate frees the batch for a new one.
        chain.add(.correction(corrects: first, reason: "数量填错", replacement: nil))
        #expect(chain.check(Self.certificate("500")) == nil)
    }

    // MARK: test-coverage

    @Test func aTestBasedCertificateNeedsEveryIngredientTested() {
        var chain = Chain()
        chain.add(.planting(method: "定植", area: nil, note: nil))
        chain.add(Self.spray("吡虫啉 10%"))
        chain.add(Self.spray("阿维菌素+高效氯氰菊酯 3%"))
        // No inspection at all: every ingredient is listed.
        let none = chain.check(Self.certificate("100", basis: .selfTest))
        #expect(none?.rule == .testCoverage && none?.fields == ["data.basis"])
        #expect(none?.message().contains("吡虫啉、阿维菌素、高效氯氰菊酯") == true, "\(String(describing: none))")
        // An inspection that misses one: only that one.
        chain.add(Self.inspection("吡虫啉", "毒死蜱", "阿维菌素残留"), actor: Self.lab.id)
        let partial = chain.check(Self.certificate("100", basis: .commissionedTest))
        #expect(partial?.rule == .testCoverage && partial?.message(in: .english).hasSuffix("not covered: 高效氯氰菊酯") == true,
                "\(String(describing: partial))")
        // Internal control is no test: no inspection needed.
        #expect(chain.check(Self.certificate("100", basis: .internalControl)) == nil)
        // Every ingredient covered: passes.
        chain.add(Self.inspection("高效氯氰菊酯"), actor: Self.lab.id)
        #expect(chain.check(Self.certificate("100", basis: .selfTest)) == nil)
        // A spray after the inspection is not covered by it.
        chain.add(Self.spray("吡虫啉 10%", date: "2026-08-02"))
        #expect(chain.check(Self.certificate("100", basis: .selfTest))?.message().contains("吡虫啉") == true)
    }

    @Test func applicationsBeforeTheLastPlantingDoNotCount() {
        var chain = Chain()
        chain.add(Self.spray("多菌灵"))
        chain.add(.planting(method: "新一季定植", area: nil, note: nil))
        #expect(chain.check(Self.certificate("100", basis: .selfTest)) == nil)
        #expect(ActiveIngredient.split("４０％毒死蜱；辛硫磷 20%").map(\.name) == ["毒死蜱", "辛硫磷"])
    }

    // MARK: certificate-receipt

    @Test func aBuyerReceivesACertificateOfTheBatch() {
        var chain = Chain()
        chain.add(Self.harvest(F.kilograms("1000")))
        let certificate = chain.add(Self.certificate("600"))
        let receipt = EventData.certificateReceipt(CertificateReceipt(certificate: certificate, from: F.producerID,
                                                                      quantity: F.kilograms("200")))
        #expect(chain.check(receipt, actor: Self.market) == nil)
        // Not a certificate of this batch.
        let harvestID = chain.events[0].id
        let wrong = chain.check(.certificateReceipt(CertificateReceipt(certificate: harvestID, from: F.producerID)), actor: Self.market)
        #expect(wrong?.rule == .certificateReceipt && wrong?.fields == ["data.certificate"])
        // A laboratory is no buyer.
        #expect(chain.check(receipt, actor: Self.lab)?.rule == .role)
    }

    // MARK: mass-balance

    @Test func certificatesMayNotExceedTheHarvest() {
        var chain = Chain()
        chain.add(Self.harvest(try! Quantity(value: F.decimal("1"), unit: .tonne)))  // 1000 kg
        // Up to 2% over: weighing and rounding.
        #expect(chain.check(Self.certificate("1020")) == nil)
        let over = chain.check(Self.certificate("1021"))
        #expect(over?.rule == .massBalance && over?.fields == ["data.quantity"])
        #expect(over?.message(in: .english).contains("harvested 1000 kg, already certified 0 kg, this certificate 1021 kg, total 1021 kg, above the limit of 1020 kg (2% tolerance)") == true,
                "\(String(describing: over))")
        #expect(over?.message().contains("收获量 1000 千克") == true)
        // Split certificates count against the certificate they split, not the harvest again.
        let whole = chain.add(Self.certificate("1000"))
        let half = chain.add(Self.certificate("500", sources: [whole]))
        #expect(chain.check(Self.certificate("500", sources: [whole])) == nil)
        chain.add(Self.certificate("500", sources: [whole]))
        #expect(chain.check(Self.certificate("100", sources: [half])) == nil)  // a split of a split
        let tooMuch = chain.check(Self.certificate("50", sources: [whole]))
        #expect(tooMuch?.rule == .massBalance && tooMuch?.message(in: .english).contains("split certificates exceed") == true)
        // Another measure than the harvest's has no supply.
        var litres = Chain()
        litres.add(Self.harvest(F.kilograms("100")))
        let volume = litres.check(.certificate(ComplianceCertificate(number: "L", quantity: try! Quantity(value: F.decimal("1"), unit: .litre),
                                                                     basis: .internalControl, contact: "029-87000000")))
        #expect(volume?.rule == .massBalance)
    }

    @Test func unitsMayNotExceedTheHarvest() {
        var chain = Chain()
        chain.add(Self.harvest(F.kilograms("100")))
        let key = F.testKey.id
        // 20 boxes of 5 kg: exactly the harvest.
        let boxes = UnitIssuance(count: 20, keyID: key, unitQuantity: F.kilograms("5"))
        #expect(chain.check(.unitIssuance(boxes)) == nil)
        chain.add(.unitIssuance(boxes))
        let more = chain.check(.unitIssuance(UnitIssuance(count: 1, keyID: key, unitQuantity: F.kilograms("5"))))
        #expect(more?.rule == .massBalance && more?.fields == ["data.count"])
        #expect(more?.message(in: .english).contains("already issued 100 kg, this issuance 5 kg, total 105 kg") == true,
                "\(String(describing: more))")
        // Units stating no quantity count pieces, which a harvest in kg cannot balance: not refused.
        #expect(chain.check(.unitIssuance(UnitIssuance(count: 1_000_000, keyID: key))) == nil)
        // Against a harvest counted in pieces, they are.
        var heads = Chain()
        heads.add(Self.harvest(try! Quantity(value: F.decimal("100"), unit: .piece)))
        #expect(heads.check(.unitIssuance(UnitIssuance(count: 102, keyID: key))) == nil)
        #expect(heads.check(.unitIssuance(UnitIssuance(count: 103, keyID: key)))?.rule == .massBalance)
    }

    @Test func beforeAnyHarvestTheDeclaredQuantityStandsIn() {
        var chain = Chain()  // the batch record declares 12000 kg
        #expect(chain.check(Self.certificate("12000")) == nil)
        let over = chain.check(Self.certificate("12241"))
        #expect(over?.rule == .massBalance && over?.message(in: .english).contains("declared batch 12000 kg") == true,
                "\(String(describing: over))")
        let balance = MassBalance(batch: F.batch, events: chain.events)
        #expect(balance.supplyIsDeclared && balance.line(.mass)?.supply == 12000 && balance.holds)
    }
}
