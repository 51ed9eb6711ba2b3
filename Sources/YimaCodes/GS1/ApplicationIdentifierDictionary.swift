import Foundation

/// The table of GS1 Application Identifiers, read from the GS1 Barcode Syntax
/// Dictionary (the `gs1-syntax-dictionary.txt` format of gs1/gs1-syntax-engine).
public struct ApplicationIdentifierDictionary: Sendable {

    /// The dictionary bundled with this module, parsed on first use.
    ///
    /// A `static let` is initialised lazily and exactly once, thread-safely, by the
    /// Swift runtime, so every parser shares one immutable table.
    public static let standard: ApplicationIdentifierDictionary = {
        guard let url = Bundle.module.url(forResource: "gs1-syntax-dictionary", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("YimaCodes: bundled gs1-syntax-dictionary.txt is missing")
        }
        do {
            return try ApplicationIdentifierDictionary(syntaxDictionary: text)
        } catch {
            preconditionFailure("YimaCodes: bundled gs1-syntax-dictionary.txt is malformed: \(error)")
        }
    }()

    /// A line of the syntax dictionary that could not be understood.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public let lineNumber: Int
        public let line: String
        public let reason: String
        public var description: String { "syntax dictionary line \(lineNumber): \(reason): \(line)" }
    }

    private let entries: [String: ApplicationIdentifier]
    /// AI length for each two-digit prefix, since all AIs sharing a prefix have the same length.
    private let aiLengthByPrefix: [Substring: Int]

    /// Parses the text of a GS1 Barcode Syntax Dictionary.
    public init(syntaxDictionary text: String) throws(FormatError) {
        var entries: [String: ApplicationIdentifier] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            for ai in try Self.parseLine(line, lineNumber: lineNumber) {
                entries[ai.code] = ai
            }
        }
        self.entries = entries
        var lengths: [Substring: Int] = [:]
        for code in entries.keys { lengths[code.prefix(2)] = code.count }
        aiLengthByPrefix = lengths
    }

    /// The AI with this code, if the dictionary has it.
    public subscript(code: String) -> ApplicationIdentifier? { entries[code] }

    /// All AIs, ordered by code.
    public var all: [ApplicationIdentifier] { entries.values.sorted { $0.code < $1.code } }

    /// Looks up `code`, optionally making up an ``ApplicationIdentifier/unknown(_:)``
    /// entry for a well-formed AI the dictionary lacks: two to four digits, and as
    /// long as the known AIs sharing its first two digits (all AIs with the same
    /// two-digit prefix have the same length).
    public func lookup(_ code: String, permittingUnknown: Bool = false) -> ApplicationIdentifier? {
        if let known = entries[code] { return known }
        guard permittingUnknown, (2...4).contains(code.count),
              code.allSatisfy({ $0.asciiDigitValue != nil }) else { return nil }
        if let length = aiLengthByPrefix[code.prefix(2)], length != code.count { return nil }
        return .unknown(code)
    }

    /// Whether `ais` (primary key first, then qualifiers) is a valid GS1 Digital Link
    /// path: the qualifiers must be an in-order selection from one of the key's
    /// `dlpkey` alternatives (GS1 Digital Link: URI Syntax 1.x, key qualifier order).
    public func isValidPathSequence(_ ais: [String]) -> Bool {
        guard let key = ais.first, let paths = entries[key]?.digitalLinkQualifierPaths else { return false }
        let qualifiers = ais.dropFirst()
        return paths.contains { Self.isInOrderSelection(qualifiers, from: $0) }
    }

    private static func isInOrderSelection(_ chosen: ArraySlice<String>, from allowed: [String]) -> Bool {
        var remaining = allowed[...]
        for ai in chosen {
            guard let position = remaining.firstIndex(of: ai) else { return false }
            remaining = remaining[(position + 1)...]
        }
        return true
    }

    // MARK: - Reading the dictionary format
    // Syntax: AIs [Flags] Specification [Attributes...] [# Title] (see the file's header).

    private static let flagCharacters = Set("*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~")

    private static func parseLine(_ line: Substring, lineNumber: Int) throws(FormatError) -> [ApplicationIdentifier] {
        func failure(_ reason: String) -> FormatError {
            FormatError(lineNumber: lineNumber, line: String(line), reason: reason)
        }
        let hash = line.firstIndex(of: "#") ?? line.endIndex
        let title = hash < line.endIndex ? line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces) : ""
        var tokens = line[..<hash].split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        guard let range = tokens.popFirst() else { return [] }   // comment or blank line

        var flags: Substring = ""
        if let first = tokens.first, first.allSatisfy(flagCharacters.contains) {
            flags = first
            tokens = tokens.dropFirst()
        }

        var components: [ApplicationIdentifier.Component] = []
        while let token = tokens.first, let lead = token.first, "NXYZ[".contains(lead) {
            guard let component = parseComponent(token) else { throw failure("bad component \"\(token)\"") }
            components.append(component)
            tokens = tokens.dropFirst()
        }
        guard !components.isEmpty else { throw failure("no format specification") }

        var qualifierPaths: [[String]]?
        for attribute in tokens {
            if attribute == "dlpkey" {
                qualifierPaths = [[]]
            } else if attribute.hasPrefix("dlpkey=") {
                qualifierPaths = attribute.dropFirst("dlpkey=".count)
                    .split(separator: "|")
                    .map { $0.split(separator: ",").map(String.init) }
            }
            // req= and ex= are deliberately not modelled (see ApplicationIdentifier).
        }

        guard let codes = expand(range) else { throw failure("bad AI or AI range \"\(range)\"") }
        return codes.map {
            ApplicationIdentifier(code: $0, title: title,
                                  hasPredefinedLength: flags.contains("*"),
                                  isDigitalLinkDataAttribute: flags.contains("?"),
                                  components: components,
                                  digitalLinkQualifierPaths: qualifierPaths)
        }
    }

    /// `"3100-3105"` → `["3100", …, "3105"]`; `"01"` → `["01"]`.
    private static func expand(_ range: Substring) -> [String]? {
        let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count),
              bounds.allSatisfy({ (2...4).contains($0.count) && $0.allSatisfy { $0.asciiDigitValue != nil } }),
              let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
              bounds[0].count == bounds[bounds.count - 1].count, low <= high else { return nil }
        let width = bounds[0].count
        return (low...high).map { number in
            let digits = String(number)
            return String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// `"N13,csum,gcppos1"`, `"X..20"`, `"[N3],iso3166"`, `"[X..17]"`.
    private static func parseComponent(_ token: Substring) -> ApplicationIdentifier.Component? {
        var parts = token.split(separator: ",")
        guard !parts.isEmpty else { return nil }
        var type = parts.removeFirst()
        let isOptional = type.hasPrefix("[") && type.hasSuffix("]")
        if isOptional { type = type.dropFirst().dropLast() }
        guard let setLetter = type.first, let characterSet = GS1CharacterSet(rawValue: setLetter) else { return nil }
        let length = type.dropFirst()
        let minimum: Int, maximum: Int
        if length.hasPrefix("..") {
            guard let max = Int(length.dropFirst(2)) else { return nil }
            (minimum, maximum) = (1, max)
        } else {
            guard let fixed = Int(length) else { return nil }
            (minimum, maximum) = (fixed, fixed)
        }
        return ApplicationIdentifier.Component(characterSet: characterSet, minimumLength: minimum,
                                               maximumLength: maximum, isOptional: isOptional,
                                               linters: parts.map(String.init))
    }
}
