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
        return found
    }

    // MARK: chain-link, batch-mismatch, actor-mismatch

    static func chainLink(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        let expected = context.lastRecordID
        guard event.previous != expected else { return [] }
        return [RuleViolation(rule: .chainLink, fields: ["prev"],
            chinese: "prev 应为该批次最后一条记录 \(expected.hex)，实为 \(event.previous.hex)：链已被其他记录延长，或引用了错误的记录",
            english: "prev must be the batch's last record \(expected.hex), got \(event.previous.hex): the chain moved on or the wrong record is referenced")]
    }

    static func batchAndActor(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        if event.batch != context.batch.reference {
            found.append(RuleViolation(rule: .batchMismatch, fields: ["batch"],
                chinese: "事件批次 \(event.batch) 不是 \(context.batch.reference)",
                english: "the event's batch \(event.batch) is not \(context.batch.reference)"))
        }
        if event.actor != context.actor.id {
            found.append(RuleViolation(rule: .actorMismatch, fields: ["actor"],
                chinese: "actor 为 \(event.actor)，但签名方是 \(context.actor.id)",
                english: "actor is \(event.actor) but the signer is \(context.actor.id)"))
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
        let rolesZH = requirement.roles.sorted { $0.rawValue < $1.rawValue }.map { $0.name(in: .chinese) }.joined(separator: "、")
        let rolesEN = requirement.roles.sorted { $0.rawValue < $1.rawValue }.map(\.rawValue).joined(separator: ", ")
        let ownerZH = requirement.batchOwnerMay ? "或批次所有者" : (event.type == .correction ? "或原记录签名方" : "")
        let ownerEN = requirement.batchOwnerMay ? " or the batch owner" : (event.type == .correction ? " or the original record's signer" : "")
        return [RuleViolation(rule: .role, fields: ["actor", "type"],
            chinese: "\(actor.name)（\(actor.id)）无权记录“\(event.type.name(chinese: true))”：需要\(rolesZH)\(ownerZH)",
            english: "\(actor.id) may not record \(event.type.rawValue): it needs the role \(rolesEN)\(ownerEN)")]
    }

    // MARK: time-order, future-time

    static func time(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        var found: [RuleViolation] = []
        if let last = context.priorEvents.last?.event, event.time < last.time {
            found.append(RuleViolation(rule: .timeOrder, fields: ["time"],
                chinese: "事件时间 \(event.time) 早于该批次上一事件时间 \(last.time)",
                english: "the event time \(event.time) is before the batch's previous event at \(last.time)"))
        }
        let latest = context.now.adding(context.allowedClockSkew)
        if latest < event.time.instant {
            let minutes = context.allowedClockSkew.components.seconds / 60
            found.append(RuleViolation(rule: .futureTime, fields: ["time"],
                chinese: "事件时间 \(event.time) 在将来（允许的时钟误差为 \(minutes) 分钟）",
                english: "the event time \(event.time) is in the future (allowed clock skew \(minutes) minutes)"))
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
            let scopeZH = match.ban.appliesToAllCrops ? "全面禁止使用" : "禁止在“\(context.product.name)”（\(context.product.category.rawValue)）上使用"
            let scopeEN = match.ban.appliesToAllCrops ? "banned on all crops" : "banned on \(context.product.category.rawValue) such as this product"
            let since = match.ban.from.map { "，自 \($0) 起" } ?? ""
            let sinceEN = match.ban.from.map { " since \($0)" } ?? ""
            return [RuleViolation(rule: .bannedPesticide, fields: [field],
                chinese: "\(pesticide.chineseName)\(scopeZH)\(since)（依据：\(source)）",
                english: "\(pesticide.englishName) (\(pesticide.chineseName)) is \(scopeEN)\(sinceEN) (source: \(match.ban.source))")]
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
        return [RuleViolation(rule: .safetyInterval, fields: ["data.date"],
            chinese: "采收日期 \(harvestDate) 未过安全间隔期：\(application.name) 于 \(application.date) 施用，安全间隔期 \(application.safetyIntervalDays) 天，最早 \(application.earliestHarvestDate) 方可采收",
            english: "harvest on \(harvestDate) is inside the safety interval: \(application.name) was applied on \(application.date) with a \(application.safetyIntervalDays)-day interval; the earliest harvest date is \(application.earliestHarvestDate)")]
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
                    found.append(RuleViolation(rule: .safetyInterval, fields: ["time"],
                        chinese: "不能出具合格证：\(application.name) 于 \(application.date) 施用，安全间隔期 \(application.safetyIntervalDays) 天，\(application.earliestHarvestDate) 前不得上市",
                        english: "no certificate yet: \(application.name) was applied on \(application.date) with a \(application.safetyIntervalDays)-day safety interval; the batch may not be sold before \(application.earliestHarvestDate)"))
                }
                let banned = bannedPesticide(recorded.event, context)
                found += banned.map { RuleViolation(rule: $0.rule, fields: ["data"],
                                                    chinese: "不能出具合格证：该批次使用了禁用农药。\($0.message(in: .chinese))",
                                                    english: "no certificate: the batch had a banned input. \($0.message(in: .english))") }
            case .inspection(_, _, let pass, let report):
                inspection = (pass, report, recorded.event.time)
            default:
                break
            }
        }
        if let inspection, !inspection.pass {
            found.append(RuleViolation(rule: .failedInspection, fields: ["data"],
                chinese: "不能出具合格证：最近一次检测（报告 \(inspection.report)，\(inspection.time)）不合格",
                english: "no certificate: the latest inspection (report \(inspection.report), \(inspection.time)) failed"))
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
                    found.append(RuleViolation(rule: .packedTwice, fields: ["data.cartons[\(index)]"],
                        chinese: "箱 \(carton) 已装入托盘 \(earlier)，不能再装入 \(pallet)",
                        english: "carton \(carton) is already on pallet \(earlier); it cannot go onto \(pallet)"))
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
                found.append(RuleViolation(rule: .unitNotIssued, fields: [field],
                    chinese: "单品码 \(serial) 从未在批次 \(context.batch.reference) 下发放",
                    english: "unit \(serial) was never issued for batch \(context.batch.reference)"))
                continue
            }
            guard isPacking else { continue }
            let carton: SSCC? = if case .packed(let into) = state { into } else { packedEarlier[serial] }
            if let carton {
                found.append(RuleViolation(rule: .packedTwice, fields: [field],
                    chinese: "单品码 \(serial) 已装入箱 \(carton)，不能重复装箱",
                    english: "unit \(serial) is already packed in carton \(carton)"))
            }
        }
        return found
    }
}
