import YimaRecords

/// One batch's mass balance as the report shows it (docs/report.md §Balance,
/// docs/records.md §Mass balance).
public struct BatchBalance: Sendable, Equatable {
    public let batchKey: String
    public let owner: String
    public let balance: MassBalance

    /// Decimal text of an amount in its measure's base unit (JSON carries no fractions).
    static func decimal(_ value: Double) -> String { Amount.decimal(value) }

    var json: JSONValue {
        .object([
            "batch": .string(batchKey), "owner": .string(owner),
            "supply": .string(balance.supplyIsDeclared ? "declared" : "harvested"),
            "holds": .bool(balance.holds),
            "measures": .array(balance.lines.map { line in
                var object: [String: JSONValue] = [
                    "measure": .string(line.measure.rawValue), "unit": .string(line.measure.baseUnit.rawValue),
                    "certified": .string(Self.decimal(line.certified)), "labelled": .string(Self.decimal(line.labelled)),
                    "holds": .bool(line.holds),
                ]
                if let supply = line.supply { object["supply"] = .string(Self.decimal(supply)) }
                if let limit = line.limit { object["limit"] = .string(Self.decimal(limit)) }
                return .object(object)
            }),
        ])
    }
}

extension Reports {
    /// The mass balance of each batch, from its chain as stored.
    public func balances(of batchKeys: [String]) throws(ServiceError) -> [BatchBalance] {
        var balances: [BatchBalance] = []
        for key in batchKeys {
            guard let state = try ServiceError.reading({ try reader.records.batch(key: key) }) else { continue }
            let history = try reader.history(state)
            guard case .batch(let batch)? = history.first?.record else { continue }
            let events = history.dropFirst().compactMap { decoded -> RecordedEvent? in
                guard case .event(let event) = decoded.record else { return nil }
                return RecordedEvent(id: decoded.envelope.recordID, event: event)
            }
            balances.append(BatchBalance(batchKey: key, owner: batch.owner.rawValue, balance: MassBalance(batch: batch, events: events)))
        }
        return balances
    }
}
