import Foundation
import Mustache
import YimaCodes
import YimaText

/// Renders the consumer page from `templates/` (Mustache): `lookup.mustache` is the
/// page with the verdict and scan status, `lookup-details.mustache` the batch's
/// sections (rendered once per batch head and language, then spliced in), and
/// `style.mustache` the inline CSS. No external assets, no JavaScript.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init(templates directory: String) async throws {
        for name in ["lookup", "lookup-details", "style"] {
            let path = (directory as NSString).appendingPathComponent("\(name).mustache")
            guard FileManager.default.fileExists(atPath: path) else {
                throw TemplateError(message: "template \(path) is missing; pass --templates DIR (the repository's templates/ folder)")
            }
        }
        library = try await MustacheLibrary(directory: directory)
    }

    struct TemplateError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func details(_ model: [String: Any], language: Language) -> String {
        var model = model
        model["t"] = Self.labels(language)
        return library.render(model, withTemplate: "lookup-details") ?? ""
    }

    func page(_ model: [String: Any], language: Language) -> String {
        var model = model
        model["t"] = Self.labels(language)
        model["lang"] = language == .chinese ? "zh-CN" : "en"
        return library.render(model, withTemplate: "lookup") ?? ""
    }

    static func labels(_ language: Language) -> [String: String] {
        language == .chinese ? chinese : english
    }

    // The labels are the catalog's `label…` messages, read once per language.
    static let chinese = ServerMessage.labels(in: .chinese)
    static let english = ServerMessage.labels(in: .english)
}
