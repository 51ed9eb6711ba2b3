import Foundation

/// The pesticides banned in China, and those banned on some crops, from
/// Rules/banned-pesticides.json (sources in its `sources` section and in
/// docs/records.md §Banned pesticides).
public struct BannedPesticideList: Sendable {
    /// One ban: where it applies and since when.
    public struct Ban: Sendable, Hashable {
        /// `all`, or product categories (`ProductCategory` raw values) and crop tags.
        public let scope: [String]
        /// Crop names matched against the product's name and variety (e.g. 花生).
        public let crops: [String]
        /// The first application date the ban covers; nil = long in force.
        public let from: CalendarDate?
        /// The announcement's id in `sources`.
        public let source: String
        public let note: String?

        public var appliesToAllCrops: Bool { scope.contains("all") }
    }

    public struct Pesticide: Sendable, Hashable {
        public let chineseName: String
        public let englishName: String
        public let aliases: [String]
        public let bans: [Ban]

        var allNames: [String] { [chineseName, englishName] + aliases }
    }

    public let pesticides: [Pesticide]
    /// Source id → announcement title.
    public let sources: [String: String]

    /// The bytes of the list shipped with this build, exactly as `bundled` reads them:
    /// what the server gives clients that apply the same list offline (docs/api.md).
    public static let bundledFile: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "banned-pesticides", withExtension: "json", subdirectory: nil),
              let data = try? Data(contentsOf: url) else {
            fatalError("banned-pesticides.json is missing from the YimaRecords resource bundle")
        }
        return Array(data)
    }()

    /// The list shipped with this build.
    public static let bundled: BannedPesticideList = {
        do { return try BannedPesticideList(json: bundledFile) } catch {
            fatalError("banned-pesticides.json is invalid: \(error)")
        }
    }()

    public init(pesticides: [Pesticide], sources: [String: String]) {
        self.pesticides = pesticides
        self.sources = sources
    }

    /// Reads the JSON format of Rules/banned-pesticides.json.
    public init(json bytes: [UInt8]) throws {
        var reader = try ObjectReader(CanonicalJSON.parse(bytes), path: "")
        _ = reader.optionalValue("description")
        _ = reader.optionalValue("omitted")
        var sources: [String: String] = [:]
        for (index, value) in try reader.array("sources").enumerated() {
            var source = try ObjectReader(value, path: "sources[\(index)]")
            sources[try source.string("id")] = try source.string("title")
            _ = source.optionalValue("date")
            _ = source.optionalValue("year")
            try source.finish()
        }
        var pesticides: [Pesticide] = []
        for (index, value) in try reader.array("pesticides").enumerated() {
            var entry = try ObjectReader(value, path: "pesticides[\(index)]")
            let strings = { (values: [JSONValue], path: String) throws(RecordError) -> [String] in
                try ObjectReader.elements(values, at: path) { v, p throws(RecordError) in try ObjectReader.string(v, at: p) }
            }
            let aliases = try strings(entry.array("aliases"), "aliases")
            var bans: [Ban] = []
            for banValue in try entry.array("bans") {
                var ban = try ObjectReader(banValue, path: "ban")
                let source = try ban.string("source")
                guard sources[source] != nil else { throw RecordError.invalid("source", .bannedListUnknownSource, ["source": source]) }
                bans.append(Ban(scope: try strings(ban.array("scope"), "scope"), crops: try strings(ban.optionalArray("crops") ?? [], "crops"),
                                from: try ban.optionalParsed("from", CalendarDate.parse), source: source,
                                note: try ban.optionalString("note")))
                try ban.finish()
            }
            pesticides.append(Pesticide(chineseName: try entry.string("name_zh"), englishName: try entry.string("name_en"),
                                        aliases: aliases, bans: bans))
            try entry.finish()
        }
        try reader.finish()
        self.init(pesticides: pesticides, sources: sources)
    }

    /// A pesticide whose name, alias or active ingredient matches, with the ban
    /// that covers `product` on `date`.
    public struct Match: Sendable, Hashable {
        public let pesticide: Pesticide
        public let ban: Ban
        /// The name as it matched.
        public let matchedName: String
    }

    /// The first ban `text` (a product name or active ingredient, e.g. "40%毒死蜱乳油")
    /// falls under for `product` on `date`; the longest matching name wins, so
    /// 氧乐果 is not taken for 乐果.
    public func match(_ text: String, product: Product, on date: CalendarDate) -> Match? {
        let haystack = Self.normalize(text)
        let candidates = pesticides.flatMap { pesticide in
            pesticide.allNames.compactMap { name -> (Pesticide, String, Int)? in
                let needle = Self.normalize(name)
                guard !needle.isEmpty else { return nil }
                // Short Latin or numeric names (DDT, 1605) must match whole; Chinese names may be contained.
                let isLatin = needle.unicodeScalars.allSatisfy(\.isASCII)
                let matches = isLatin && needle.count < 5 ? haystack == needle : haystack.contains(needle)
                return matches ? (pesticide, name, needle.count) : nil
            }
        }.sorted { $0.2 > $1.2 }
        let productNames = Self.normalize(product.name + (product.variety ?? ""))
        for (pesticide, name, _) in candidates {
            for ban in pesticide.bans where ban.from.map({ $0 <= date }) ?? true {
                let covers = ban.appliesToAllCrops || ban.scope.contains(product.category.rawValue)
                    || ban.crops.contains { productNames.contains(Self.normalize($0)) }
                if covers { return Match(pesticide: pesticide, ban: ban, matchedName: name) }
            }
        }
        return nil
    }

    /// Case-folded, full-width forms turned half-width, spaces and joining
    /// punctuation removed: "２，４－滴 丁酯" and "2,4-滴丁酯" compare equal.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }  // full-width ASCII
            if value == 0x3000 { value = 0x20 }                      // ideographic space
            guard let mapped = Unicode.Scalar(value) else { continue }
            if mapped.properties.isWhitespace || "-_,.·、，（）()".unicodeScalars.contains(mapped) { continue }
            scalars.append(mapped)
        }
        return String(scalars).lowercased()
    }
}
