/// The domain rules every new event must pass before it is stored
/// (质量有保障): pure functions of the event and a `RuleContext`.
public enum Rules {
    /// Throws the first violation, in the order `violations` lists them.
    public static func check(_ event: Event, in context: RuleContext) throws(RuleViolation) {
        if let first = violations(of: event, in: context).first { throw first }
    }

    /// Every rule the event breaks: chain and identity first, then time, role,
    /// inputs and units.
    public static func violations(of event: Event, in context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        found += chainLink(event, context)
        found += batchAndActor(event, context)
        found += role(event, context)
        found += time(event, context)
        found += bannedPesticide(event, context)
        found += safetyInterval(event, context)
        found += units(event, context)
        found += certificate(event, context)
        found += certificateSplit(event, context)
        found += testCoverage(event, context)
        found += certificateReceipt(event, context)
        found += massBalance(event, context)
        return found
    }

    // MARK: chain-link, batch-mismatch, actor-mismatch

    static func chainLink(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        let expected = context.lastRecordID
        guard event.previous != expected else { return [] }
        return [RuleViolation(rule: .chainLink, fields: ["prev"]) {
            RecordsMessage.ruleChainLink.text(in: $0, ["expected": expected.hex, "got": event.previous.hex])
        }]
    }

    static func batchAndActor(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        if event.batch != context.batch.reference {
            found.append(RuleViolation(rule: .batchMismatch, fields: ["batch"]) {
                RecordsMessage.ruleBatchMismatch.text(in: $0, ["batch": event.batch, "expected": context.batch.reference])
            })
        }
        if event.actor != context.actor.id {
            found.append(RuleViolation(rule: .actorMismatch, fields: ["actor"]) {
                RecordsMessage.ruleActorMismatch.text(in: $0, ["actor": event.actor, "signer": context.actor.id])
            })
        }
        return found
    }

    // MARK: role

    static func role(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        let requirement = RoleRequirement.forEvent(event.type)
        let actor = context.actor
        if requirement.roles.contains(where: actor.hasRole) { return [] }
        if requirement.batchOwnerMay && actor.id == context.batch.owner { return [] }
        if case .correction(let corrects, _, _) = event.data {
            let originalSigner = corrects == context.batchRecordID ? context.batch.owner
                : context.priorEvents.first { $0.id == corrects }?.event.actor
            if originalSigner == actor.id { return [] }
        }
        let roles = requirement.roles.sorted { $0.rawValue < $1.rawValue }
        let owner: RecordsMessage? = requirement.batchOwnerMay ? .ruleRoleOrBatchOwner
            : (event.type == .correction ? .ruleRoleOrOriginalSigner : nil)
        return [RuleViolation(rule: .role, fields: ["actor", "type"]) { language in
            // English names the event type as the payload spells it (`input_application`).
            let type = language == .chinese ? event.type.name(chinese: true) : event.type.rawValue
            let names = roles.map { $0.name(in: language) }.joined(separator: RecordsMessage.listSeparator.text(in: language))
            return RecordsMessage.ruleRole.text(in: language, ["name": actor.name, "party": actor.id, "type": type, "roles": names,
                                                               "owner": owner?.text(in: language) ?? ""])
        }]
    }

    // MARK: time-order, future-time

    static func time(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        if let last = context.priorEvents.last?.event, event.time < last.time {
            found.append(RuleViolation(rule: .timeOrder, fields: ["time"]) {
                RecordsMessage.ruleTimeOrder.text(in: $0, ["time": event.time, "previous": last.time])
            })
        }
        let latest = context.now.adding(context.allowedClockSkew)
        if latest < event.time.instant {
            let minutes = context.allowedClockSkew.components.seconds / 60
            found.append(RuleViolation(rule: .futureTime, fields: ["time"]) {
                RecordsMessage.ruleFutureTime.text(in: $0, ["time": event.time, "minutes": minutes])
            })
        }
        return found
    }

    // MARK: banned-pesticide

    static func bannedPesticide(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .pesticide(let application) = event.data else { return [] }
        for (field, text) in [("data.name", application.name), ("data.active_ingredient", application.activeIngredient)] {
            guard let match = context.bannedPesticides.match(text, product: context.product, on: application.date) else { continue }
            let source = context.bannedPesticides.sources[match.ban.source] ?? match.ban.source
            let pesticide = match.pesticide
            return [RuleViolation(rule: .bannedPesticide, fields: [field]) { language in
                let scope = match.ban.appliesToAllCrops ? RecordsMessage.ruleBannedOnAllCrops.text(in: language)
                    : RecordsMessage.ruleBannedOnCategory.text(in: language, ["product": context.product.name,
                                                                             "category": context.product.category.rawValue])
                let since = match.ban.from.map { RecordsMessage.ruleBannedSince.text(in: language, ["date": $0]) } ?? ""
                return RecordsMessage.ruleBannedPesticide.text(in: language, [
                    "chineseName": pesticide.chineseName, "englishName": pesticide.englishName, "scope": scope, "since": since,
                    "source": source, "sourceID": match.ban.source])
            }]
        }
        return []
    }

    // MARK: safety-interval

    static func safetyInterval(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .harvest(let harvestDate, _) = event.data else { return [] }
        // Every application counts, not only the last: an earlier one may have the longer interval.
        let binding = context.priorEvents.compactMap { recorded -> PesticideApplication? in
            if case .pesticide(let application) = recorded.event.data { return application }
            return nil
        }.max { $0.earliestHarvestDate < $1.earliestHarvestDate }
        guard let application = binding, harvestDate < application.earliestHarvestDate else { return [] }
        return [RuleViolation(rule: .safetyInterval, fields: ["data.date"]) {
            RecordsMessage.ruleSafetyInterval.text(in: $0, ["harvest": harvestDate, "input": application.name, "applied": application.date,
                                                            "days": application.safetyIntervalDays, "earliest": application.earliestHarvestDate])
        }]
    }

    // MARK: certificate (承诺达标合格证): safety-interval, banned-pesticide, failed-inspection

    /// A certificate commits that the batch may be sold: refused while a pesticide's
    /// safety interval runs, if any input on the chain is banned for the product, or if
    /// the latest inspection failed.
    static func certificate(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .certificate = event.data else { return [] }
        var found: [RuleViolation] = []
        let day = event.time.localDate
        var inspection: (pass: Bool, report: String, time: Timestamp)?
        for recorded in context.priorEvents {
            switch recorded.event.data {
            case .pesticide(let application):
                if day < application.earliestHarvestDate {
                    found.append(RuleViolation(rule: .safetyInterval, fields: ["time"]) {
                        RecordsMessage.ruleCertificateSafetyInterval.text(in: $0, [
                            "input": application.name, "applied": application.date, "days": application.safetyIntervalDays,
                            "earliest": application.earliestHarvestDate])
                    })
                }
                let banned = bannedPesticide(recorded.event, context)
                found += banned.map { violation in
                    RuleViolation(rule: violation.rule, fields: ["data"]) {
                        RecordsMessage.ruleCertificateBannedInput.text(in: $0, ["reason": violation.message(in: $0)])
                    }
                }
            case .inspection(_, _, let pass, let report):
                inspection = (pass, report, recorded.event.time)
            default:
                break
            }
        }
        if let inspection, !inspection.pass {
            found.append(RuleViolation(rule: .failedInspection, fields: ["data"]) {
                RecordsMessage.ruleFailedInspection.text(in: $0, ["report": inspection.report, "time": inspection.time])
            })
        }
        return found
    }

    // MARK: unit-not-issued, packed-twice

    static func units(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        let listField: String
        switch event.data {
        case .packing(_, .units): listField = "data.units"
        case .shipping, .receiving, .recall: listField = "data.units"
        case .packing(let pallet, .cartons(let cartons)):
            var alreadyOnPallet = context.palletisedCartons
            for recorded in context.priorEvents {
                if case .packing(let earlier, .cartons(let earlierCartons)) = recorded.event.data {
                    for carton in earlierCartons { alreadyOnPallet[carton] = earlier }
                }
            }
            for (index, carton) in cartons.enumerated() {
                if let earlier = alreadyOnPallet[carton] {
                    found.append(RuleViolation(rule: .packedTwice, fields: ["data.cartons[\(index)]"]) {
                        RecordsMessage.rulePackedCarton.text(in: $0, ["carton": carton, "earlier": earlier, "pallet": pallet])
                    })
                }
            }
            return found
        default:
            return []
        }
        var packedEarlier: [Serial: SSCC] = [:]
        for recorded in context.priorEvents {
            if case .packing(let carton, .units(let units)) = recorded.event.data {
                for unit in units { packedEarlier[unit] = carton }
            }
        }
        let isPacking = event.type == .packing
        for (index, serial) in event.data.unitSerials.enumerated() {
            let field = "\(listField)[\(index)]"
            guard let state = context.units[serial] else {
                found.append(RuleViolation(rule: .unitNotIssued, fields: [field]) {
                    RecordsMessage.ruleUnitNotIssued.text(in: $0, ["unit": serial, "batch": context.batch.reference])
                })
                continue
            }
            guard isPacking else { continue }
            let carton: SSCC? = if case .packed(let into) = state { into } else { packedEarlier[serial] }
            if let carton {
                found.append(RuleViolation(rule: .packedTwice, fields: [field]) {
                    RecordsMessage.rulePackedUnit.text(in: $0, ["unit": serial, "carton": carton])
                })
            }
        }
        return found
    }
}
