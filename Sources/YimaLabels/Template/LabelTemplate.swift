import Foundation
import Mustache

/// A label template: `NAME.json` (the ``LabelLayout``) and `NAME.svg.mustache` (the SVG,
/// with the QR code and fitted text filled in by Mustache) in a templates folder.
/// Producers add or edit templates there; no Swift changes (docs/labels.md §Template format).
public struct LabelTemplate: @unchecked Sendable {
    public let name: String
    public let layout: LabelLayout
    let svg: MustacheTemplate

    /// Loads and checks template `name` from `directory` (usually `templates/labels`).
    /// - Throws: ``LabelError`` naming the template and what is wrong: unknown name (with the
    ///   names available), a JSON error, a Mustache syntax error with its line, or a layout
    ///   that does not fit the label.
    public static func load(_ name: String, from directory: String) throws(LabelError) -> LabelTemplate {
        let available = Self.available(in: directory)
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
              available.contains(name) else {
            throw LabelError { language in
                let list = available.isEmpty ? LabelsMessage.noneAvailable.text(in: language)
                    : available.joined(separator: LabelsMessage.listSeparator.text(in: language))
                return LabelsMessage.templateUnknown.text(in: language, ["name": name, "directory": directory, "available": list])
            }
        }
        let base = (directory as NSString).appendingPathComponent(name)
        let layout: LabelLayout
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: base + ".json"))
            layout = try JSONDecoder().decode(LabelLayout.self, from: data)
        } catch {
            throw LabelError(.templateLayoutInvalid, ["name": name, "reason": Self.describe(error)])
        }
        let text: String
        do { text = try String(contentsOfFile: base + ".svg.mustache", encoding: .utf8) } catch {
            throw LabelError(.templateUnreadable, ["path": base, "reason": error.localizedDescription])
        }
        let svg: MustacheTemplate
        do { svg = try MustacheTemplate(string: text) } catch let error as MustacheTemplate.ParserError {
            throw LabelError(.templateMustacheSyntax, ["name": name, "line": error.context.lineNumber, "column": error.context.columnNumber,
                                                       "source": error.context.line.trimmingCharacters(in: .whitespaces), "error": error.error])
        } catch {
            throw LabelError(.templateMustacheInvalid, ["name": name, "reason": error])
        }
        let template = LabelTemplate(name: name, layout: layout, svg: svg)
        try template.checkGeometry()
        return template
    }

    /// The template names in `directory`: every `NAME.json` with a `NAME.svg.mustache` beside it.
    public static func available(in directory: String) -> [String] {
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        return files.filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .filter { files.contains("\($0).svg.mustache") }
            .sorted()
    }

    /// The SVG for one label from the model ``LabelRenderer`` builds.
    func render(_ model: [String: Any]) -> String {
        svg.render(model)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return [path.isEmpty ? nil : "\"\(path)\"", underlying ?? context.debugDescription].compactMap { $0 }.joined(separator: ": ")
        default:
            return error.localizedDescription
        }
    }
}
