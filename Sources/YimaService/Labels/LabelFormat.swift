/// What `issue` writes for each code besides the line in codes.txt.
public enum LabelFormat: String, Sendable, CaseIterable, Hashable {
    /// Only codes.txt, one code per line.
    case txt
    /// One scalable QR image per code, `SERIAL.svg`.
    case svg
    /// One raster QR image per code, `SERIAL.png`.
    case png

    /// Parses a comma-separated list such as `txt,svg,png`.
    public static func parseList(_ text: String) throws(ServiceError) -> Set<LabelFormat> {
        var formats = Set<LabelFormat>()
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let format = LabelFormat(rawValue: name) else {
                throw .invalidArgument(.unknownLabelFormat, ["name": name])
            }
            formats.insert(format)
        }
        return formats.isEmpty ? [.txt] : formats
    }
}
