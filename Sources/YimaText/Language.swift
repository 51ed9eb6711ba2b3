/// The language of user-facing text: Chinese by default, English on request.
///
/// The raw value is the language's member name in every message catalog
/// (docs/messages.md), so a new case needs a translation in every catalog.
public enum Language: String, Sendable, CaseIterable {
    case chinese = "zh"
    case english = "en"

    /// Picks a language from a tag such as `en-US`, `zh-CN` or a POSIX locale
    /// (`en_US.UTF-8`); anything not English is Chinese.
    public init(tag: String?) {
        self = (tag?.lowercased().hasPrefix("en") ?? false) ? .english : .chinese
    }
}
