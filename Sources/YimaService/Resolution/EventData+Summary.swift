import YimaCodes
import YimaRecords
import YimaText

extension EventData {
    /// One line saying what the event records, for the consumer page and `yima
    /// chain`; `partyName` turns a party id into what a reader should see.
    public func summary(in language: Language, partyName name: (String) -> String = { $0 }) -> String {
        let zh = language == .chinese
        switch self {
        case .planting(let method, let area, let note):
            return [method, area.map { $0.text(chinese: zh) }, note].compactMap { $0 }.joined(separator: zh ? "，" : ", ")
        case .pesticide(let p):
            return zh ? "\(p.name)（登记证号 \(p.registrationNumber)），\(p.dose.value) \(p.dose.unit)，\(p.method)，安全间隔期 \(p.safetyIntervalDays) 天"
                      : "\(p.name) (reg. no. \(p.registrationNumber)), \(p.dose.value) \(p.dose.unit), \(p.method), safety interval \(p.safetyIntervalDays) days"
        case .fertilizer(let f):
            return zh ? "\(f.name)（\(f.type)）\(f.amount.text(chinese: zh))" : "\(f.name) (\(f.type)) \(f.amount.text(chinese: zh))"
        case .care(let activity, let note, _):
            return [Self.careName(activity, zh: zh), note].compactMap { $0 }.joined(separator: zh ? "：" : ": ")
        case .harvest(let date, let amount):
            return "\(date) \(amount.text(chinese: zh))"
        case .inspection(let laboratory, let items, let pass, let report):
            return zh ? "\(name(laboratory.rawValue))检测 \(items.count) 项，\(pass ? "合格" : "不合格")，报告 \(report)"
                      : "\(name(laboratory.rawValue)): \(items.count) items, \(pass ? "pass" : "FAIL"), report \(report)"
        case .unitIssuance(let count, _):
            return zh ? "签发 \(count) 个追溯码" : "\(count) codes issued"
        case .packing(let sscc, let contents):
            switch contents {
            case .units(let units): return zh ? "\(units.count) 件装入箱 \(sscc)" : "\(units.count) units into carton \(sscc)"
            case .cartons(let cartons): return zh ? "\(cartons.count) 箱装入托盘 \(sscc)" : "\(cartons.count) cartons onto pallet \(sscc)"
            }
        case .storing(let location, let temperature, let note):
            return [location, temperature.map { "\($0) °C" }, note].compactMap { $0 }.joined(separator: zh ? "，" : ", ")
        case .shipping(let from, let to, let carrier, _, _):
            return zh ? "\(name(from.rawValue)) → \(name(to.rawValue))，承运：\(name(carrier.rawValue))"
                      : "\(name(from.rawValue)) → \(name(to.rawValue)), carrier \(name(carrier.rawValue))"
        case .receiving(let from, _, _):
            return zh ? "收自 \(name(from.rawValue))" : "from \(name(from.rawValue))"
        case .retailSelling(let location, let amount):
            return [location, amount.map { $0.text(chinese: zh) }].compactMap { $0 }.joined(separator: " ")
        case .recall(let reason, let action, _):
            return zh ? "召回原因：\(reason)；措施：\(action)" : "reason: \(reason); action: \(action)"
        case .certificate(let certificate):
            return zh ? "合格证 \(certificate.number)，\(certificate.quantity.text(chinese: true))，\(certificate.basis.name(chinese: true))"
                      : "certificate \(certificate.number), \(certificate.quantity.text(chinese: false)), \(certificate.basis.name(chinese: false))"
        case .correction(let corrects, let reason, _):
            return zh ? "更正记录 \(corrects.hex.prefix(12))…：\(reason)" : "corrects record \(corrects.hex.prefix(12))…: \(reason)"
        }
    }

    static func careName(_ activity: CareActivity, zh: Bool) -> String {
        switch activity {
        case .irrigation: zh ? "灌溉" : "irrigation"
        case .pruning: zh ? "修剪" : "pruning"
        case .weeding: zh ? "除草" : "weeding"
        case .pestObservation: zh ? "病虫害观察" : "pest observation"
        case .other: zh ? "其他" : "other"
        }
    }
}

extension Quantity {
    /// "12000 千克" or "12000 kg".
    public func text(chinese: Bool) -> String { "\(value) \(unit.name(in: chinese))" }
}
