import Foundation

/// A CSV table as RFC 4180 defines it (quoted fields may hold commas, quotes as
/// `""`, and line breaks), with the line each row starts on, for error messages.
struct CSVTable {
    struct Row {
        let line: Int
        let fields: [String]
    }

    let header: [String]
    let rows: [Row]

    enum Failure: Error, CustomStringConvertible {
        case unterminatedQuote(line: Int)
        case empty
        var description: String {
            switch self {
            case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
            case .empty: "the CSV file has no header row"
            }
        }
    }

    init(parsing text: String) throws(Failure) {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var line = 1
        var rowStart = 1
        var quoted = false
        var afterQuote = false
        // A UTF-8 byte order mark (Excel writes one) is not part of the first cell.
        var iterator = (text.hasPrefix("\u{FEFF}") ? Substring(text.dropFirst()) : Substring(text)).unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRow() {
            fields.append(field)
            field = ""
            // Blank lines are not rows.
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            case ",":
                fields.append(field); field = ""; afterQuote = false
            case "\r":
                continue
            case "\n":
                endRow(); line += 1; rowStart = line; afterQuote = false
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw .unterminatedQuote(line: rowStart) }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        guard let first = rows.first else { throw .empty }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        self.rows = Array(rows.dropFirst())
    }
}
