/// Reads the members of a JSON object strictly: every member must be consumed,
/// so `finish()` reports any field the record type does not define.
struct ObjectReader {
    let path: String
    private let members: [String: JSONValue]
    private var consumed: Set<String> = []

    init(_ value: JSONValue, path: String) throws(RecordError) {
        guard case .object(let members) = value else {
            throw RecordError(field: path, problem: .wrongType(expected: "object"))
        }
        self.members = members
        self.path = path
    }

    func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    mutating func optionalValue(_ name: String) -> JSONValue? {
        consumed.insert(name)
        return members[name]
    }

    mutating func value(_ name: String) throws(RecordError) -> JSONValue {
        guard let value = optionalValue(name) else { throw RecordError(field: fieldPath(name), problem: .missing) }
        return value
    }

    mutating func string(_ name: String) throws(RecordError) -> String {
        try Self.string(value(name), at: fieldPath(name))
    }

    mutating func optionalString(_ name: String) throws(RecordError) -> String? {
        guard let value = optionalValue(name) else { return nil }
        return try Self.string(value, at: fieldPath(name))
    }

    mutating func integer(_ name: String) throws(RecordError) -> Int64 {
        guard case .integer(let integer) = try value(name) else {
            throw RecordError(field: fieldPath(name), problem: .wrongType(expected: "integer"))
        }
        return integer
    }

    mutating func bool(_ name: String) throws(RecordError) -> Bool {
        guard case .bool(let bool) = try value(name) else {
            throw RecordError(field: fieldPath(name), problem: .wrongType(expected: "boolean"))
        }
        return bool
    }

    mutating func array(_ name: String) throws(RecordError) -> [JSONValue] {
        guard case .array(let elements) = try value(name) else {
            throw RecordError(field: fieldPath(name), problem: .wrongType(expected: "array"))
        }
        return elements
    }

    mutating func optionalArray(_ name: String) throws(RecordError) -> [JSONValue]? {
        guard optionalValue(name) != nil else { return nil }
        return try array(name)
    }

    /// A field parsed by `parse`, which sees the field's path for its errors.
    mutating func parsed<T>(_ name: String, _ parse: (JSONValue, String) throws(RecordError) -> T) throws(RecordError) -> T {
        try parse(value(name), fieldPath(name))
    }

    mutating func optionalParsed<T>(_ name: String, _ parse: (JSONValue, String) throws(RecordError) -> T) throws(RecordError) -> T? {
        guard let value = optionalValue(name) else { return nil }
        return try parse(value, fieldPath(name))
    }

    /// A non-empty text field without leading/trailing spaces or control characters.
    mutating func text(_ name: String, maximumLength: Int = 200) throws(RecordError) -> String {
        try Self.text(value(name), at: fieldPath(name), maximumLength: maximumLength)
    }

    mutating func optionalText(_ name: String, maximumLength: Int = 200) throws(RecordError) -> String? {
        guard let value = optionalValue(name) else { return nil }
        return try Self.text(value, at: fieldPath(name), maximumLength: maximumLength)
    }

    /// Fails on the first member nobody read.
    func finish() throws(RecordError) {
        if let extra = members.keys.filter({ !consumed.contains($0) }).sorted().first {
            throw RecordError(field: fieldPath(extra), problem: .unknown)
        }
    }

    static func string(_ value: JSONValue, at path: String) throws(RecordError) -> String {
        guard case .string(let string) = value else { throw RecordError(field: path, problem: .wrongType(expected: "string")) }
        return string
    }

    static func text(_ value: JSONValue, at path: String, maximumLength: Int = 200) throws(RecordError) -> String {
        let string = try string(value, at: path)
        try FieldText.check(string, at: path, maximumLength: maximumLength)
        return string
    }

    /// Elements of an array field, each parsed with its indexed path.
    static func elements<T>(_ elements: [JSONValue], at path: String,
                            _ parse: (JSONValue, String) throws(RecordError) -> T) throws(RecordError) -> [T] {
        var out = [T]()
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() { out.append(try parse(element, "\(path)[\(index)]")) }
        return out
    }
}

/// Rules for free text in records (names, addresses, notes).
enum FieldText {
    static func check(_ string: String, at path: String, maximumLength: Int = 200) throws(RecordError) {
        guard !string.isEmpty else { throw RecordError.invalid(path, .textEmpty) }
        guard string.count <= maximumLength else {
            throw RecordError.invalid(path, .textTooLong, ["maximum": maximumLength])
        }
        guard string.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw RecordError.invalid(path, .textControlCharacters)
        }
        guard string.first?.isWhitespace == false, string.last?.isWhitespace == false else {
            throw RecordError.invalid(path, .textOuterWhitespace)
        }
    }
}

/// Builds a JSON object, leaving out absent optional fields.
struct ObjectWriter {
    private(set) var members: [String: JSONValue] = [:]

    subscript(name: String) -> JSONValue? {
        get { members[name] }
        set { members[name] = newValue }
    }

    var value: JSONValue { .object(members) }
}
