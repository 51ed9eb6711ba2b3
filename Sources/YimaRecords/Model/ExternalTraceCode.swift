/// A trace code a provincial or national platform assigned (docs/records.md
/// §External trace codes): 1 to 64 characters from RFC 3986's unreserved set
/// (`A–Z a–z 0–9 - . _ ~`), so it stands in a URL path (`/t/{code}`) as it is,
/// with no escaping to disagree about. Compared exactly (case matters).
public struct TraceAlias: ValidatedString {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public static func problem(with candidate: String) -> (zh: String, en: String)? {
        let unreserved = candidate.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        }
        guard (1...64).contains(candidate.utf8.count), unreserved, candidate != ".", candidate != ".." else {
            return RecordsMessage.traceAliasShape.texts()
        }
        return nil
    }
}

/// `external_code`: the batch (or one unit of it, `serial`) also goes by `code`,
/// assigned by `platform`, e.g. "国家农产品质量安全追溯管理信息平台". Signed by the
/// batch's owner (or a regulator); one code names one target for ever.
public struct ExternalTraceCode: Sendable, Hashable {
    public var code: TraceAlias
    public var platform: String
    public var serial: Serial?

    public init(code: TraceAlias, platform: String, serial: Serial? = nil) {
        self.code = code
        self.platform = platform
        self.serial = serial
    }
}
