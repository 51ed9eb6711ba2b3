/// A query-string parameter of a Digital Link URI that is not an AI, such as
/// `linkType=gs1:pip`, a private parameter like `s=…`, or a bare `singleton`.
/// GS1 Digital Link URI Syntax leaves these to the application; they are not part
/// of the element string.
public struct DigitalLinkQueryParameter: Sendable, Hashable {
    /// The name exactly as written in the URI.
    public let name: String
    /// The value exactly as written, still percent-encoded (a signature, for
    /// instance, must be checked over these exact characters); `nil` when the
    /// parameter has no `=`.
    public let rawValue: String?

    public init(name: String, rawValue: String?) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The value percent-decoded with `+` read as a space (HTML form encoding);
    /// `nil` if there is no value or it is not validly encoded UTF-8.
    public var value: String? {
        guard let rawValue, let bytes = PercentEncoding.decodedBytes(rawValue, plusIsSpace: true) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `name=rawValue`, or just `name`.
    var queryComponent: String { rawValue.map { "\(name)=\($0)" } ?? name }
}
