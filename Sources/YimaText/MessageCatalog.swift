import Foundation

/// One module's user-facing text: for each message key, a template per language.
///
/// A template names its arguments in braces, `商品条码 {gtin} 校验位错误（应为 {expected}）`,
/// so a translation may order them as its grammar needs. A brace not around a plain
/// name (letters, digits, `_`) is literal text. The file format and the rules a
/// catalog must keep are in docs/messages.md.
public struct MessageCatalog: Sendable {
    /// The module the catalog belongs to, for diagnostics.
    public let module: String
    /// Key → language (`Language.rawValue`) → template.
    public let templates: [String: [String: String]]
    /// Key → placeholders some translation deliberately leaves out (the catalog's
    /// `"mayOmit"` member), e.g. a party's name that only the Chinese text shows.
    public let mayOmit: [String: Set<String>]

    public init(module: String, templates: [String: [String: String]], mayOmit: [String: Set<String>] = [:]) {
        self.module = module
        self.templates = templates
        self.mayOmit = mayOmit
    }

    /// Reads `Messages.json` from a module's resource bundle. The file ships with the
    /// code, so its absence or a syntax error is a packaging bug: it stops the program.
    public init(module: String, bundle: Bundle) {
        guard let url = bundle.url(forResource: "Messages", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            preconditionFailure("\(module): Messages.json is missing from the resource bundle")
        }
        do { self = try MessageCatalog(module: module, json: data) } catch {
            preconditionFailure("\(module): Messages.json is malformed: \(error)")
        }
    }

    /// Parses the catalog format: `{"key": {"zh": "…", "en": "…", "mayOmit": ["name"]}, …}`.
    public init(module: String, json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: [String: Any]] else {
            throw FormatError(reason: "expected an object of objects")
        }
        var templates: [String: [String: String]] = [:]
        var mayOmit: [String: Set<String>] = [:]
        for (key, entry) in object {
            for (member, value) in entry {
                if member == "mayOmit", let names = value as? [String] {
                    mayOmit[key] = Set(names)
                } else if let template = value as? String {
                    templates[key, default: [:]][member] = template
                } else {
                    throw FormatError(reason: "\(key).\(member) is neither a template nor a list of names")
                }
            }
        }
        self.init(module: module, templates: templates, mayOmit: mayOmit)
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The message `key` in `language`, each `{name}` replaced by `arguments[name]`.
    ///
    /// An unknown key or a placeholder without an argument is a programming error: it
    /// stops a debug build (and so a test); a release build shows the key or the
    /// `{name}` rather than lose it silently.
    public func text(_ key: String, in language: Language, _ arguments: [String: String] = [:]) -> String {
        guard let template = templates[key]?[language.rawValue] else {
            assertionFailure("\(module): no \(language.rawValue) text for message \(key)")
            return key
        }
        return Self.fill(template, arguments) { name in
            assertionFailure("\(module): message \(key) needs an argument \(name)")
        }
    }

    /// The names of the `{placeholders}` in `template`, in order of appearance.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        _ = fill(template, [:]) { names.append($0) }
        return names
    }

    /// Replaces each `{name}` found in `arguments`; reports (and keeps) the others.
    private static func fill(_ template: String, _ arguments: [String: String], missing: (String) -> Void) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            let nameEnd = rest[afterOpen...].firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }
            guard let close = nameEnd, close > afterOpen, rest[close] == "}" else {
                out += "{"  // not a placeholder: a literal brace
                rest = rest[afterOpen...]
                continue
            }
            let name = String(rest[afterOpen..<close])
            if let value = arguments[name] {
                out += value
            } else {
                missing(name)
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// A module's messages: one case per message, its raw value the key in the module's
/// catalog. Being `CaseIterable` lets a test prove that every key used has text in
/// every language, without reaching each error path.
public protocol MessageKey: RawRepresentable<String>, CaseIterable, Sendable {
    /// The module's catalog, loaded once (a `static let`).
    static var catalog: MessageCatalog { get }
}

extension MessageKey {
    /// This message in `language`, with `arguments` for its `{placeholders}`.
    /// Values are shown as string interpolation would show them.
    public func text(in language: Language, _ arguments: KeyValuePairs<String, Any> = [:]) -> String {
        var strings: [String: String] = [:]
        for (name, value) in arguments { strings[name] = "\(value)" }
        return Self.catalog.text(rawValue, in: language, strings)
    }

    /// This message in Chinese and in English, for the types whose public shape still
    /// carries both texts (`RecordError.Problem.invalid(zh:en:)`, `LabelError`).
    public func texts(_ arguments: KeyValuePairs<String, Any> = [:]) -> (zh: String, en: String) {
        (text(in: .chinese, arguments), text(in: .english, arguments))
    }
}
