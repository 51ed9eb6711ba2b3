/// The 2026 certificate rules (农业农村部令2025年第4号; docs/records.md §Certificate):
/// one certificate per production batch unless it is split, a test-based certificate
/// backed by an inspection of every pesticide used, and buyers' receipts.
extension Rules {
    /// The certificate events of the batch so far, by record id, in chain order.
    static func certificates(in context: RuleContext) -> [(id: RecordID, certificate: ComplianceCertificate)] {
        let corrected = correctedRecords(context)
        return context.priorEvents.compactMap { recorded in
            guard case .certificate(let certificate) = recorded.event.data, !corrected.contains(recorded.id) else { return nil }
            return (recorded.id, certificate)
        }
    }

    /// Records a later correction on the chain withdraws: they count for nothing.
    static func correctedRecords(_ context: RuleContext) -> Set<RecordID> {
        Set(context.priorEvents.compactMap { recorded -> RecordID? in
            if case .correction(let corrects, _, _) = recorded.event.data { return corrects }
            return nil
        })
    }

    // MARK: certificate-split

    /// One certificate per production batch: a further one must name, in `sources`,
    /// the certificate of this batch it splits.
    static func certificateSplit(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .certificate(let certificate) = event.data else { return [] }
        let earlier = certificates(in: context)
        guard !earlier.isEmpty, !earlier.contains(where: { certificate.sources.contains($0.id) }) else { return [] }
        let numbers = earlier.map(\.certificate.number)
        return [RuleViolation(rule: .certificateSplit, fields: ["data.sources"]) {
            RecordsMessage.ruleCertificateSplit.text(in: $0, [
                "batch": context.batch.reference,
                "numbers": numbers.joined(separator: RecordsMessage.listSeparator.text(in: $0)),
                "id": earlier.last!.id.hex])
        }]
    }

    // MARK: test-coverage (用什么药、检什么药)

    /// The active ingredients applied since planting that no later inspection item
    /// names, in the order first applied. A test-based certificate needs this empty:
    /// with no pesticide applied there is nothing to cover.
    public static func uncoveredIngredients(before event: Event, in context: RuleContext) -> [String] {
        let lastPlanting = context.priorEvents.lastIndex { $0.event.type == .planting } ?? -1
        var uncovered: [(name: String, key: String)] = []
        for (index, recorded) in context.priorEvents.enumerated() where index > lastPlanting {
            switch recorded.event.data {
            case .pesticide(let application):
                for (name, key) in ActiveIngredient.split(application.activeIngredient) where !uncovered.contains(where: { $0.key == key }) {
                    uncovered.append((name, key))
                }
            case .inspection(_, let items, _, _):
                let tested = items.map { ActiveIngredient.key($0.name) }
                uncovered.removeAll { ingredient in tested.contains { ActiveIngredient.covers(item: $0, ingredient: ingredient.key) } }
            default:
                break
            }
        }
        return uncovered.map(\.name)
    }

    static func testCoverage(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .certificate(let certificate) = event.data, certificate.basis.isTest else { return [] }
        let missing = uncoveredIngredients(before: event, in: context)
        guard !missing.isEmpty else { return [] }
        let hasInspection = context.priorEvents.contains { $0.event.type == .inspection }
        return [RuleViolation(rule: .testCoverage, fields: ["data.basis"]) { language in
            let key: RecordsMessage = hasInspection ? .ruleTestCoverage : .ruleTestCoverageNoInspection
            return key.text(in: language, ["basis": certificate.basis.name(chinese: language == .chinese),
                                           "ingredients": missing.joined(separator: RecordsMessage.listSeparator.text(in: language))])
        }]
    }

    // MARK: certificate-receipt

    /// A buyer's receipt names a certificate of this batch.
    static func certificateReceipt(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        guard case .certificateReceipt(let receipt) = event.data else { return [] }
        guard !certificates(in: context).contains(where: { $0.id == receipt.certificate }) else { return [] }
        return [RuleViolation(rule: .certificateReceipt, fields: ["data.certificate"]) {
            RecordsMessage.ruleCertificateReceipt.text(in: $0, ["id": receipt.certificate.hex, "batch": context.batch.reference])
        }]
    }
}

extension ComplianceCertificate.Basis {
    /// 自检合格 and 委托检测合格 rest on a test; 内部质量控制 does not.
    public var isTest: Bool { self != .internalControl }
}

/// 有效成分 as written on a pesticide label ("吡虫啉 10%", "阿维菌素+高效氯氰菊酯 3%")
/// turned into ingredients an inspection item can be matched against.
enum ActiveIngredient {
    /// The ingredients of a label text, each with its matching key: split at `+`, `/`,
    /// `、`, `；`, `;` (full-width forms too), concentrations and spaces dropped.
    static func split(_ text: String) -> [(name: String, key: String)] {
        let separators = Set("+/、;；＋／".unicodeScalars)
        var parts: [String] = [""]
        for scalar in text.unicodeScalars {
            if separators.contains(scalar) { parts.append("") } else { parts[parts.count - 1].unicodeScalars.append(scalar) }
        }
        return parts.compactMap { part in
            let name = part.unicodeScalars.filter { !"0123456789.%％０１２３４５６７８９．".unicodeScalars.contains($0) }
            let trimmed = String(String.UnicodeScalarView(name)).trimmingBlanks
            let key = Self.key(trimmed)
            return key.isEmpty ? nil : (trimmed, key)
        }
    }

    /// The matching key: `BannedPesticideList.normalize` without digits, dots and percent signs.
    static func key(_ text: String) -> String {
        BannedPesticideList.normalize(text).filter { !"0123456789.%".contains($0) }
    }

    /// An item covers an ingredient when its name, so normalised, is the ingredient or
    /// contains it ("毒死蜱残留" covers 毒死蜱).
    static func covers(item: String, ingredient: String) -> Bool {
        !ingredient.isEmpty && item.contains(ingredient)
    }
}

private extension String {
    var trimmingBlanks: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
