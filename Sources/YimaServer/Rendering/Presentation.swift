import Foundation
import YimaCodes
import YimaRecords
import YimaService
import YimaText

/// What the consumer page shows about a batch, built once per batch head and
/// language from the signed records (the Mustache model of `lookup-details`).
enum Presentation {
    /// Names of parties by id, for events that name parties besides their signer.
    typealias PartyNames = [String: Party]

    static func details(_ chain: BatchHistory, parties: PartyNames, language: Language) -> [String: Any] {
        let zh = language == .chinese
        func name(_ id: String) -> String { parties[id]?.name ?? id }

        var model: [String: Any] = [:]
        if case .product(let product)? = chain.product?.record { Self.add(product, to: &model, language: language) }
        if case .batch(let batch) = chain.batch.record {
            let owner = parties[batch.owner.rawValue]
            model["batch"] = [
                "lot": batch.lot.rawValue,
                "season": batch.season,
                "quantity": batch.quantity.text(chinese: zh),
                "place": batch.origin.place,
                "division": batch.origin.division.rawValue,
                "lat": batch.origin.latitude.description,
                "lon": batch.origin.longitude.description,
            ] as [String: Any]
            var producer: [String: Any] = ["name": owner?.name ?? batch.owner.rawValue, "id": batch.owner.rawValue]
            if let owner {
                producer["address"] = owner.address
                if let contact = owner.contact { producer["contact"] = contact }
                if case .creditCode(let code) = owner.identifier { producer["creditCode"] = code.rawValue }
                producer["roles"] = owner.roles.map { $0.name(in: language) }.joined(separator: ServerMessage.listSeparator.text(in: language))
            }
            model["producer"] = producer
        }

        var pesticides: [[String: Any]] = []
        var fertilizers: [[String: Any]] = []
        var tests: [[String: Any]] = []
        var timeline: [[String: Any]] = []
        var recalls: [[String: Any]] = []
        var compliance: [[String: Any]] = []
        // Buyers' receipts (certificate_receipt), shown under the certificate they name.
        var receipts: [RecordID: [[String: Any]]] = [:]
        for entry in chain.events {
            guard case .event(let event) = entry.record, case .certificateReceipt(let receipt) = event.data else { continue }
            var shown: [String: Any] = ["by": entry.signer?.name ?? event.actor.rawValue, "date": date(event.time),
                                        "from": name(receipt.from.rawValue)]
            if let quantity = receipt.quantity { shown["quantity"] = quantity.text(chinese: zh) }
            receipts[receipt.certificate, default: []].append(shown)
        }
        for entry in chain.events {
            guard case .event(let event) = entry.record else { continue }
            let signer = entry.signer?.name ?? event.actor.rawValue
            switch event.data {
            case .pesticide(let p):
                pesticides.append([
                    "name": p.name, "registration": p.registrationNumber.rawValue, "ingredient": p.activeIngredient,
                    "dose": "\(p.dose.value) \(p.dose.unit)", "method": p.method, "date": p.date.description,
                    "interval": p.safetyIntervalDays, "earliestHarvest": p.earliestHarvestDate.description,
                ])
            case .fertilizer(let f):
                fertilizers.append(["name": f.name, "type": f.type, "amount": f.amount.text(chinese: zh), "date": f.date.description])
            case .inspection(let laboratory, let items, let pass, let report):
                tests.append([
                    "laboratory": name(laboratory.rawValue), "report": report, "pass": pass, "date": date(event.time),
                    "items": items.map { item -> [String: Any] in
                        ["name": item.name, "method": item.method,
                         "result": Double(item.result) != nil ? "\(item.result) \(item.unit ?? "")" : item.result,
                         "limit": item.limit ?? "", "unit": item.unit ?? "", "pass": item.pass]
                    },
                ])
            case .certificate(let certificate):
                compliance.append(["number": certificate.number, "quantity": certificate.quantity.text(chinese: zh),
                                   "basis": certificate.basis.name(chinese: zh), "date": date(event.time), "by": signer,
                                   "record": entry.envelope.recordID.hex,
                                   "receipts": receipts[entry.envelope.recordID] ?? []])
            case .recall(let reason, let action, _):
                recalls.append(["reason": reason, "action": action, "date": date(event.time), "by": signer])
            default:
                break
            }
            timeline.append([
                "time": display(event.time), "type": event.type.name(chinese: zh), "by": signer,
                "summary": event.data.summary(in: zh ? .chinese : .english, partyName: name),
                "recall": event.type == .recall,
            ])
        }
        if !pesticides.isEmpty { model["pesticides"] = ["rows": pesticides] }
        if !fertilizers.isEmpty { model["fertilizers"] = ["rows": fertilizers] }
        if !pesticides.isEmpty || !fertilizers.isEmpty { model["hasInputs"] = true }
        if !tests.isEmpty { model["tests"] = ["reports": tests] }
        if !recalls.isEmpty { model["recalls"] = recalls }
        if !compliance.isEmpty { model["compliance"] = ["list": compliance] }
        if !chain.integrity.isEmpty {
            model["integrity"] = [
                "title": ServerMessage.integrityTitle.text(in: language),
                "text": ServerMessage.integrityText.text(in: language),
                "problems": chain.integrity.map { $0.message(in: language) },
            ] as [String: Any]
        }
        model["timeline"] = timeline
        model["hasTimeline"] = true
        model["eventCount"] = chain.events.count
        return model
    }

    /// The product and its 三品一标 certificates, as the `product` and `certificates` sections show them.
    static func add(_ product: Product, to model: inout [String: Any], language: Language) {
        let zh = language == .chinese
        var shown: [String: Any] = [
            "name": zh ? product.name : (product.nameEnglish ?? product.name),
            "gtin": product.gtin.rawValue,
            "category": category(product.category).text(in: language),
            "countyCode": product.gtin.isCountyAssigned,
        ]
        if let other = zh ? product.nameEnglish : (product.nameEnglish == nil ? nil : product.name) { shown["nameOther"] = other }
        if let variety = product.variety { shown["variety"] = variety }
        model["product"] = shown
        let certificates = product.certificates.map { certificate -> [String: Any] in
            [
                "kind": certificateName(certificate.kind).text(in: language),
                "number": certificate.number,
                "issuer": certificate.issuer,
                "validFrom": certificate.validFrom.description,
                "validUntil": certificate.validUntil.description,
            ]
        }
        if !certificates.isEmpty { model["certificates"] = ["list": certificates] }
    }

    /// What a product page shows above its batches: the product, its certificates and
    /// the party that defined it.
    static func product(_ resolution: ProductResolution, language: Language) -> [String: Any] {
        var model: [String: Any] = [:]
        if case .product(let product)? = resolution.product?.record { add(product, to: &model, language: language) }
        if case .party(let owner)? = resolution.owner?.record {
            var producer: [String: Any] = ["name": owner.name, "id": owner.id.rawValue, "address": owner.address]
            if let contact = owner.contact { producer["contact"] = contact }
            if case .creditCode(let code) = owner.identifier { producer["creditCode"] = code.rawValue }
            model["producer"] = producer
        }
        return model
    }

    static func category(_ category: ProductCategory) -> ServerMessage {
        switch category {
        case .vegetable: .categoryVegetable
        case .fruit: .categoryFruit
        case .tea: .categoryTea
        case .grain: .categoryGrain
        case .oilseed: .categoryOilseed
        case .mushroom: .categoryMushroom
        case .herb: .categoryHerb
        case .livestock: .categoryLivestock
        case .aquatic: .categoryAquatic
        case .other: .categoryOther
        }
    }

    static func certificateName(_ kind: Certificate.Kind) -> ServerMessage {
        switch kind {
        case .pollutionFree: .certificatePollutionFree
        case .green: .certificateGreen
        case .organic: .certificateOrganic
        case .geographicalIndication: .certificateGeographicalIndication
        }
    }

    /// `2026-09-15 08:30` in the event's own offset (as signed).
    static func display(_ time: Timestamp) -> String {
        let raw = time.rawValue
        guard raw.count >= 16 else { return raw }
        return raw.prefix(10) + " " + raw.dropFirst(11).prefix(5)
    }

    static func date(_ time: Timestamp) -> String { time.localDate.description }
}
