import Foundation

/// An amount in one measure, in that measure's base unit (kg, l, pieces, m²), so
/// that 1 TNE and 1000 KGM add up.
public struct Amount: Sendable, Hashable {
    public enum Measure: String, Sendable, Hashable, CaseIterable, Comparable {
        case mass, volume, pieces, area

        /// The unit amounts of this measure are kept in.
        public var baseUnit: UnitOfMeasure {
            switch self {
            case .mass: .kilogram
            case .volume: .litre
            case .pieces: .piece
            case .area: .squareMetre
            }
        }

        public static func < (a: Measure, b: Measure) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public let measure: Measure
    /// In `measure.baseUnit`.
    public let base: Double

    public init(value: Double, unit: UnitOfMeasure) {
        switch unit {
        case .kilogram: (measure, base) = (.mass, value)
        case .gram: (measure, base) = (.mass, value / 1000)
        case .tonne: (measure, base) = (.mass, value * 1000)
        case .litre: (measure, base) = (.volume, value)
        case .millilitre: (measure, base) = (.volume, value / 1000)
        case .piece: (measure, base) = (.pieces, value)
        case .squareMetre: (measure, base) = (.area, value)
        case .hectare: (measure, base) = (.area, value * 10_000)
        }
    }

    public init(_ quantity: Quantity) { self.init(value: quantity.value.doubleValue, unit: quantity.unit) }

    /// "1250 千克": the base value with up to three decimals, in the base unit's name.
    public static func text(_ base: Double, _ measure: Measure, chinese: Bool) -> String {
        "\(decimal(base)) \(measure.baseUnit.name(in: chinese))"
    }

    /// "1250", "0.125": at most three decimals, no trailing zeros.
    public static func decimal(_ base: Double) -> String {
        var digits = String(format: "%.3f", base)
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.hasSuffix(".") { digits.removeLast() }
        return digits == "-0" ? "0" : digits
    }
}

/// A batch's mass balance (docs/records.md §Mass balance): per measure, what was
/// harvested against what its certificates and its issued units account for.
/// Certificates and labels are two views of the same goods, so each is balanced on
/// its own, not their sum; a certificate that splits another of the batch is
/// accounted under the one it splits, not again.
public struct MassBalance: Sendable, Hashable {
    /// Over-issuance is refused beyond the harvest plus 2% (weighing and rounding).
    public static let tolerance = 0.02

    public struct Line: Sendable, Hashable {
        public let measure: Amount.Measure
        /// Harvested (or, before any harvest, declared) in this measure; nil if none.
        public let supply: Double?
        public let certified: Double
        public let labelled: Double

        /// The most that may be accounted for in this measure.
        public var limit: Double? { supply.map { $0 * (1 + MassBalance.tolerance) } }
        /// Whether both certificates and labels stay within the limit (true when there is nothing to balance).
        public var holds: Bool {
            guard let limit else { return certified == 0 && (measure == .pieces || labelled == 0) }
            return certified <= limit && labelled <= limit
        }
    }

    /// True when no harvest is recorded and the batch record's quantity stands in.
    public let supplyIsDeclared: Bool
    public let lines: [Line]

    /// The balance of a batch from its events in chain order (corrected records left out).
    public init(batch: Batch, events: [RecordedEvent]) {
        let corrected = Set(events.compactMap { recorded -> RecordID? in
            if case .correction(let corrects, _, _) = recorded.event.data { return corrects }
            return nil
        })
        let live = events.filter { !corrected.contains($0.id) }
        let certificateIDs = Set(live.compactMap { recorded -> RecordID? in
            if case .certificate = recorded.event.data { return recorded.id }
            return nil
        })
        var supply: [Amount.Measure: Double] = [:]
        var certified: [Amount.Measure: Double] = [:]
        var labelled: [Amount.Measure: Double] = [:]
        for recorded in live {
            switch recorded.event.data {
            case .harvest(_, let quantity):
                let amount = Amount(quantity)
                supply[amount.measure, default: 0] += amount.base
            case .certificate(let certificate) where !certificate.sources.contains(where: certificateIDs.contains):
                let amount = Amount(certificate.quantity)
                certified[amount.measure, default: 0] += amount.base
            case .unitIssuance(let issuance):
                let amount = issuance.accountedAmount
                labelled[amount.measure, default: 0] += amount.base
            default:
                break
            }
        }
        supplyIsDeclared = supply.isEmpty
        if supply.isEmpty {
            let declared = Amount(batch.quantity)
            supply[declared.measure] = declared.base
        }
        let measures = Set(supply.keys).union(certified.keys).union(labelled.keys).sorted()
        lines = measures.map { Line(measure: $0, supply: supply[$0], certified: certified[$0] ?? 0, labelled: labelled[$0] ?? 0) }
    }

    public func line(_ measure: Amount.Measure) -> Line? { lines.first { $0.measure == measure } }

    public var holds: Bool { lines.allSatisfy(\.holds) }
}

// MARK: mass-balance

extension Rules {
    /// A certificate or a unit issuance may not account for more than the batch's
    /// harvest (plus `MassBalance.tolerance`); a split certificate not for more than
    /// the certificates it splits.
    static func massBalance(_ event: Event, _ context: RuleContext) -> [RuleViolation] {
        let amount: Amount
        let isCertificate: Bool
        switch event.data {
        case .certificate(let certificate):
            amount = Amount(certificate.quantity)
            isCertificate = true
            let split = certificates(in: context).filter { certificate.sources.contains($0.id) }
            if !split.isEmpty { return splitBalance(amount, of: split, context) }
        case .unitIssuance(let issuance):
            amount = issuance.accountedAmount
            isCertificate = false
        default:
            return []
        }
        let balance = MassBalance(batch: context.batch, events: context.priorEvents)
        let line = balance.line(amount.measure)
        // Units that state no quantity count pieces; a harvest not in pieces cannot balance them.
        if !isCertificate && amount.measure == .pieces && line?.supply == nil { return [] }
        let already = isCertificate ? (line?.certified ?? 0) : (line?.labelled ?? 0)
        let supply = line?.supply ?? 0
        let limit = supply * (1 + MassBalance.tolerance)
        guard already + amount.base > limit else { return [] }
        let field = isCertificate ? "data.quantity" : "data.count"
        return [RuleViolation(rule: .massBalance, fields: [field]) { language in
            let zh = language == .chinese
            let text = { (value: Double) in Amount.text(value, amount.measure, chinese: zh) }
            let key: RecordsMessage = isCertificate ? .ruleMassBalanceCertificates : .ruleMassBalanceUnits
            let source: RecordsMessage = balance.supplyIsDeclared ? .massBalanceDeclared : .massBalanceHarvested
            return key.text(in: language, [
                "supply": text(supply), "source": source.text(in: language), "already": text(already), "amount": text(amount.base),
                "total": text(already + amount.base), "limit": text(limit), "tolerance": Int(MassBalance.tolerance * 100)])
        }]
    }

    /// The certificates splitting `sources` (this one included) against their quantity.
    static func splitBalance(_ amount: Amount, of sources: [(id: RecordID, certificate: ComplianceCertificate)],
                             _ context: RuleContext) -> [RuleViolation] {
        let ids = Set(sources.map(\.id))
        let available = sources.map { Amount($0.certificate.quantity) }.filter { $0.measure == amount.measure }.reduce(0) { $0 + $1.base }
        let already = certificates(in: context).filter { $0.certificate.sources.contains(where: ids.contains) }
            .map { Amount($0.certificate.quantity) }.filter { $0.measure == amount.measure }.reduce(0) { $0 + $1.base }
        let limit = available * (1 + MassBalance.tolerance)
        guard already + amount.base > limit else { return [] }
        return [RuleViolation(rule: .massBalance, fields: ["data.quantity"]) { language in
            let text = { (value: Double) in Amount.text(value, amount.measure, chinese: language == .chinese) }
            return RecordsMessage.ruleMassBalanceSplit.text(in: language, [
                "available": text(available), "already": text(already), "amount": text(amount.base), "total": text(already + amount.base),
                "limit": text(limit), "tolerance": Int(MassBalance.tolerance * 100)])
        }]
    }
}
