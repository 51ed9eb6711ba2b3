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
            return [method, area.map { $0.text(chinese: zh) }, note].compactMap { $0 }.joined(separator: ServiceMessage.summarySeparator.text(in: language))
        case .pesticide(let p):
            return ServiceMessage.summaryPesticide.text(in: language, ["name": p.name, "registration": p.registrationNumber, "dose": p.dose.value,
                                                                       "unit": p.dose.unit, "method": p.method, "days": p.safetyIntervalDays])
        case .fertilizer(let f):
            return ServiceMessage.summaryFertilizer.text(in: language, ["name": f.name, "type": f.type, "amount": f.amount.text(chinese: zh)])
        case .care(let activity, let note, _):
            return [Self.careName(activity, zh: zh), note].compactMap { $0 }.joined(separator: ServiceMessage.summaryCareSeparator.text(in: language))
        case .harvest(let date, let amount):
            return "\(date) \(amount.text(chinese: zh))"
        case .inspection(let laboratory, let items, let pass, let report):
            let verdict = (pass ? ServiceMessage.summaryPass : .summaryFail).text(in: language)
            return ServiceMessage.summaryInspection.text(in: language, ["laboratory": name(laboratory.rawValue), "count": items.count,
                                                                        "verdict": verdict, "report": report])
        case .unitIssuance(let issuance):
            return ServiceMessage.summaryIssuance.text(in: language, ["count": issuance.count])
        case .packing(let sscc, let contents):
            switch contents {
            case .units(let units): return ServiceMessage.summaryPackedUnits.text(in: language, ["count": units.count, "sscc": sscc])
            case .cartons(let cartons): return ServiceMessage.summaryPackedCartons.text(in: language, ["count": cartons.count, "sscc": sscc])
            }
        case .storing(let location, let temperature, let note):
            return [location, temperature.map { "\($0) °C" }, note].compactMap { $0 }.joined(separator: ServiceMessage.summarySeparator.text(in: language))
        case .shipping(let from, let to, let carrier, _, _):
            return ServiceMessage.summaryShipping.text(in: language, ["from": name(from.rawValue), "to": name(to.rawValue),
                                                                      "carrier": name(carrier.rawValue)])
        case .receiving(let from, _, _):
            return ServiceMessage.summaryReceiving.text(in: language, ["from": name(from.rawValue)])
        case .retailSelling(let location, let amount):
            return [location, amount.map { $0.text(chinese: zh) }].compactMap { $0 }.joined(separator: " ")
        case .recall(let reason, let action, _):
            return ServiceMessage.summaryRecall.text(in: language, ["reason": reason, "action": action])
        case .certificate(let certificate):
            return ServiceMessage.summaryCertificate.text(in: language, ["number": certificate.number, "quantity": certificate.quantity.text(chinese: zh),
                                                                         "basis": certificate.basis.name(chinese: zh)])
        case .externalCode(let external):
            return ServiceMessage.summaryExternalCode.text(in: language, ["code": external.code, "platform": external.platform,
                                                                          "serial": external.serial?.rawValue ?? "-"])
        case .certificateReceipt(let receipt):
            let quantity = receipt.quantity.map { ServiceMessage.summarySeparator.text(in: language) + $0.text(chinese: zh) } ?? ""
            return ServiceMessage.summaryCertificateReceipt.text(in: language, ["from": name(receipt.from.rawValue),
                                                                                "certificate": receipt.certificate.hex.prefix(12), "quantity": quantity])
        case .correction(let corrects, let reason, _):
            return ServiceMessage.summaryCorrection.text(in: language, ["record": corrects.hex.prefix(12), "reason": reason])
        }
    }

    static func careName(_ activity: CareActivity, zh: Bool) -> String {
        let name: ServiceMessage = switch activity {
        case .irrigation: .careIrrigation
        case .pruning: .carePruning
        case .weeding: .careWeeding
        case .pestObservation: .carePestObservation
        case .other: .careOther
        }
        return name.text(in: zh ? .chinese : .english)
    }
}

extension Quantity {
    /// "12000 千克" or "12000 kg".
    public func text(chinese: Bool) -> String { "\(value) \(unit.name(in: chinese))" }
}
