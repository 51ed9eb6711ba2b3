/// Writes CSV as RFC 4180 reads it (the counterpart of `CSVTable`): a field with a
/// comma, quote or line break is quoted, quotes doubled; lines end in CRLF.
public enum CSVLine {
    public static func encode(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
