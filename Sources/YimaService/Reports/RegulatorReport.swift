import YimaCodes
import YimaRecords
import YimaStore

/// The county authority's statistics for a date range (docs/report.md): codes issued,
/// scans, copy warnings, PIN verifications, recalls and certificates, by party,
/// product or township, with scans per day.
public struct RegulatorReport: Sendable {
    public enum Grouping: String, Sendable, CaseIterable {
        case party, product, township
    }

    public struct Row: Sendable, Equatable {
        /// Party id, GTIN, or 9-digit township code (统计用区划代码, first 9 digits).
        public let key: String
        public let name: String
        public var counts = ActivityCounts()

        public static let csvHeader = ["key", "name", "codes_issued", "scans", "copy_warnings", "pin_verifications", "recalls", "certificates",
                                       "certificate_receipts"]

        public var csvFields: [String] { [key, name] + counts.values.map(String.init) }

        var json: JSONValue {
            var object: [String: JSONValue] = ["key": .string(key), "name": .string(name)]
            for (column, value) in zip(Self.csvHeader.dropFirst(2), counts.values) { object[column] = .integer(value) }
            return .object(object)
        }
    }

    public let from: CalendarDate
    public let until: CalendarDate
    public let grouping: Grouping
    public let rows: [Row]
    public let total: Row
    public let scansPerDay: [DailyScans]
    /// The mass balance of every batch with activity in the range, by batch key.
    public let balances: [BatchBalance]

    public var json: JSONValue {
        .object(["from": from.json, "until": until.json, "by": .string(grouping.rawValue), "rows": .array(rows.map(\.json)),
                 "total": total.json, "balances": .array(balances.map(\.json)),
                 "scans_per_day": .array(scansPerDay.map { .object(["day": .string($0.day), "scans": .integer($0.scans)]) })])
    }

    /// RFC 4180 CSV for the county's statistics system: one row per group, then `total`.
    public var csv: String {
        ([Row.csvHeader] + rows.map(\.csvFields) + [total.csvFields]).map(CSVLine.encode).joined()
    }
}

/// The regulator's statistics (docs/report.md), from the store's activity tables
/// and the registered names of parties and products.
public struct Reports: Sendable {
    let activityStore: any ActivityStore
    let reader: RecordReader

    /// The report for days `from`…`until` (inclusive) at UTC`utcOffsetHours` (China: +8).
    public func report(from: String, until: String, by grouping: RegulatorReport.Grouping, copyWarningClients: Int = 5,
                       utcOffsetHours: Int = 8) throws(ServiceError) -> RegulatorReport {
        let start: CalendarDate, end: CalendarDate
        do { start = try CalendarDate(from, field: "from"); end = try CalendarDate(until, field: "until") } catch { throw .record(error) }
        guard start <= end else { throw .invalidArgument(.untilBeforeFromDates, ["until": until, "from": from]) }
        let offset = utcOffsetHours * 3600
        let first = Int64(start.dayNumber * 86_400 - offset), last = Int64((end.dayNumber + 1) * 86_400 - offset - 1)
        let activities = try ServiceError.reading { try activityStore.activity(from: first, until: last, copyWarningClients: copyWarningClients) }
        var rows: [String: RegulatorReport.Row] = [:]
        var total = RegulatorReport.Row(key: "total", name: "合计")
        for activity in activities {
            let (key, name) = try group(activity, by: grouping)
            rows[key, default: RegulatorReport.Row(key: key, name: name)].counts.add(activity.counts)
            total.counts.add(activity.counts)
        }
        return RegulatorReport(from: start, until: end, grouping: grouping, rows: rows.values.sorted { $0.key < $1.key },
                               total: total,
                               scansPerDay: try ServiceError.reading { try activityStore.dailyScans(from: first, until: last, utcOffsetSeconds: offset) },
                               balances: try balances(of: Set(activities.map(\.batchKey)).sorted()))
    }

    private func group(_ activity: BatchActivity, by grouping: RegulatorReport.Grouping) throws(ServiceError) -> (String, String) {
        switch grouping {
        case .party:
            if let registered = try reader.party(id: activity.owner) { return (activity.owner, registered.party.name) }
            return (activity.owner, activity.owner)
        case .product:
            if case .product(let product)? = try reader.product(gtin: activity.gtin)?.record { return (activity.gtin, product.name) }
            return (activity.gtin, activity.gtin)
        case .township:
            guard let state = try ServiceError.reading({ try reader.records.batch(key: activity.batchKey) }),
                  case .batch(let batch)? = try reader.history(state).first?.record else { return ("", "") }
            // Names of townships are not in the records; the code is the name.
            let township = String(batch.origin.division.rawValue.prefix(9))
            return (township, township)
        }
    }
}
