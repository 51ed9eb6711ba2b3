import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore
import YimaText

public struct ImportReport: Sendable {
    public let imported: [StoredRecord]
    /// Rows left out with `skipInvalid`: CSV line number and why.
    public let skipped: [(line: Int, message: String)]
}

extension Recording {
    /// Imports field records kept in a spreadsheet, one event per row, signed with
    /// `key` (docs/records.md §CSV import).
    ///
    /// Columns: `type`, `gtin`, `lot`, `time`, and `data.<field>` for the event's data
    /// (nested with dots: `data.dose.value`). A column name may end in `:int`, `:bool`
    /// or `:json` to type its cells; other cells are strings, and empty cells are
    /// left out. Rows are checked in order, each against the history before it
    /// including earlier rows. All rows are stored in one transaction, or none: the
    /// first bad row stops the import with its line number. With `skipInvalid`, bad
    /// rows are reported and the rest are stored.
    public func importEvents(csv text: String, key: PrivateKey, skipInvalid: Bool) throws(ServiceError) -> ImportReport {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch { throw .input(.csvMalformed, ["reason": error]) }
        for required in ["type", "gtin", "lot", "time"] where !table.header.contains(required) {
            throw .input(.csvMissingColumn, ["column": required])
        }
        var accepted: [(record: NewRecord, expectedHead: [UInt8]?)] = []
        var pending: [RecordedEvent] = []
        var heads: [String: RecordID] = [:]
        var skipped: [(line: Int, message: String)] = []
        for row in table.rows {
            do {
                let draft = try Self.draft(row, header: table.header)
                let batchKey = Self.batchKey(of: draft)
                let envelope = try sign(draft: draft, kind: .event, key: key, head: batchKey.flatMap { heads[$0] })
                let result = try accept(envelope, pending: pending)
                guard case .event(let event) = result.decoded else { continue }
                accepted.append((result.record, result.expectedHead))
                pending.append(RecordedEvent(id: envelope.recordID, event: event))
                heads[event.batch.key] = envelope.recordID
            } catch {
                let message = error.message(in: .english)
                if skipInvalid {
                    skipped.append((row.line, message))
                    continue
                }
                throw .input { ServiceMessage.importLine.text(in: $0, ["line": row.line, "reason": error.message(in: $0)]) }
            }
        }
        let stored = try ServiceError.reading { try records.appendAll(accepted) }
        return ImportReport(imported: stored, skipped: skipped)
    }

    static func draft(_ row: CSVTable.Row, header: [String]) throws(ServiceError) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        var data: JSONValue = .object([:])
        for (index, column) in header.enumerated() {
            let cell = index < row.fields.count ? row.fields[index].trimmingCharacters(in: .whitespaces) : ""
            guard !cell.isEmpty else { continue }
            let parts = column.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            // A blank or ":type"-only header names no field: refused, never guessed.
            guard let name = parts.first, !name.isEmpty else { throw .input(.unknownColumn, ["column": column]) }
            let value = try typed(cell, as: parts.count > 1 ? parts[1] : "string", column: column)
            switch name {
            case "type", "time": fields[name] = value
            case "gtin", "lot":
                var batch: [String: JSONValue] = if case .object(let existing)? = fields["batch"] { existing } else { [:] }
                batch[name] = value
                fields["batch"] = .object(batch)
            default:
                guard name.hasPrefix("data.") else {
                    throw .input(.unknownColumn, ["column": column])
                }
                data = setting(data, path: name.dropFirst(5).split(separator: ".").map(String.init), to: value)
            }
        }
        fields["data"] = data
        return .object(fields)
    }

    private static func typed(_ cell: String, as type: String, column: String) throws(ServiceError) -> JSONValue {
        switch type {
        case "string": return .string(cell)
        case "int":
            guard let number = Int64(cell) else { throw .input(.columnNotInteger, ["column": column, "cell": cell]) }
            return .integer(number)
        case "bool":
            switch cell.lowercased() {
            case "true", "yes", "1", "是": return .bool(true)
            case "false", "no", "0", "否": return .bool(false)
            default: throw .input(.columnNotBool, ["column": column, "cell": cell])
            }
        case "json":
            do { return try CanonicalJSON.parse(Array(cell.utf8)) } catch {
                throw .input(.columnNotJSON, ["column": column, "reason": error])
            }
        default:
            throw .input(.columnUnknownType, ["column": column, "type": type])
        }
    }

    private static func setting(_ value: JSONValue, path: [String], to leaf: JSONValue) -> JSONValue {
        guard let first = path.first else { return leaf }
        var object: [String: JSONValue] = if case .object(let existing) = value { existing } else { [:] }
        object[first] = setting(object[first] ?? .object([:]), path: Array(path.dropFirst()), to: leaf)
        return .object(object)
    }

    private static func batchKey(of draft: JSONValue) -> String? {
        guard case .object(let fields) = draft, case .object(let batch)? = fields["batch"],
              case .string(let gtin)? = batch["gtin"], case .string(let lot)? = batch["lot"] else { return nil }
        return BatchKey(gtin: gtin, lot: lot).description
    }
}

extension Error {
    /// The user-facing text of any error a use case meets.
    func message(in language: Language) -> String { ServiceError.wrap(self).message(in: language) }
}
