/// What `yima labels` writes (docs/labels.md §Outputs).
public enum LabelOutputFormat: String, Sendable, CaseIterable {
    /// One SVG per label, `NAME.svg`.
    case svg
    /// One 1-bit PNG per label at the printer's resolution, `NAME.png`.
    case png
    /// One multi-page PDF, `labels.pdf`: a page per label, or A4 sheets of labels.
    case pdf
    /// One Zebra job, `labels.zpl`.
    case zpl
    /// One TSC job, `labels.tspl`.
    case tspl

    public static func parse(_ text: String) throws(LabelError) -> LabelOutputFormat {
        guard let format = LabelOutputFormat(rawValue: text.lowercased()) else {
            let names = allCases.map(\.rawValue)
            throw LabelError { language in
                LabelsMessage.outputFormatUnsupported.text(in: language, [
                    "format": text, "formats": names.joined(separator: LabelsMessage.listSeparator.text(in: language))])
            }
        }
        return format
    }
}
