import Foundation

/// docs/test-vectors/base64-v1/vectors.json, read by each layer's tests.
public struct Base64Vectors: Decodable, Sendable {
    public struct DecodeCase: Decodable, Sendable, CustomStringConvertible {
        public let alphabet: String
        public let text: String
        public let bytes_hex: String?
        public let refused: String?
        public var description: String { "\(alphabet) \"\(text)\"" }
    }
    /// A published vector (or inline text) with one base64 field made non-canonical.
    public struct DocumentCase: Decodable, Sendable, CustomStringConvertible {
        public let kind: String
        public let name: String
        public let file: String?
        public let text: String?
        public let from: String
        public let to: String
        public let refused_because: String
        public var description: String { name }

        /// The document as published.
        public func original() throws -> String {
            if let text { return text }
            return try String(contentsOf: Base64Vectors.folder.appendingPathComponent(file!), encoding: .utf8)
        }
        /// The document with the field replaced (exactly one occurrence must exist).
        public func twisted() throws -> String {
            let original = try original()
            precondition(original.components(separatedBy: from).count == 2, "\(name): \"\(from)\" must occur once")
            return original.replacingOccurrences(of: from, with: to)
        }
    }

    public let format: String
    public let decode: [DecodeCase]
    public let documents: [DocumentCase]

    public static let folder = Repository.root.appendingPathComponent("docs/test-vectors/base64-v1")
    public static let all: Base64Vectors = try! JSONDecoder().decode(
        Base64Vectors.self, from: Data(contentsOf: folder.appendingPathComponent("vectors.json")))

    public static func documents(_ kind: String) -> [DocumentCase] { all.documents.filter { $0.kind == kind } }
}
