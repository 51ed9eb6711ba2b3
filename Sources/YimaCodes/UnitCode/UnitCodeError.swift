import YimaText

/// Why a scanned string is not a well-formed Yima unit code. Each case names the
/// part at fault; `message(in:)` gives the user-facing text.
public enum UnitCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// No `http://` or `https://` scheme, or not a URL at all.
    case notAURL(String)
    /// A URL, but not a GS1 Digital Link URI; carries the parser's reason.
    case notDigitalLink(String)
    /// The GTIN's last digit is not its GS1 mod-10 check digit.
    case badCheckDigit(gtin: String, expected: Int)
    /// A GS1 Digital Link URI without the GTIN, lot or serial a unit code needs.
    case missingElement(ai: String)
    /// A GS1 element a Yima unit code does not carry (e.g. an expiry date in the path).
    case unexpectedElement(ai: String)
    /// A lot or serial outside the documented alphabet (A–Z, 0–9, '-'; 1–20 characters).
    case invalidValue(ai: String, value: String)
    /// No `s` query parameter: an unsigned GS1 Digital Link URI.
    case missingSignature
    /// The format version digit is not one this build reads.
    case unsupportedVersion(String)
    /// The `s` parameter is not the expected fixed-length run of digits.
    case badSignatureEncoding(String)
    /// The resolver base URL given to an issuer is unusable.
    case invalidBaseURL(String)

    public var description: String { message(in: .english) }

    public func message(in language: Language) -> String {
        let zh = language == .chinese
        switch self {
        case .empty:
            return zh ? "扫描内容为空" : "the scanned text is empty"
        case .notAURL(let why):
            return zh ? "不是网址：\(why)" : "not a URL: \(why)"
        case .notDigitalLink(let why):
            return zh ? "不是 GS1 数字链接：\(why)" : "not a GS1 Digital Link URI: \(why)"
        case .badCheckDigit(let gtin, let expected):
            return zh ? "商品条码 \(gtin) 校验位错误（应为 \(expected)）"
                      : "GTIN \(gtin) has a bad check digit (expected \(expected))"
        case .missingElement(let ai):
            return zh ? "缺少应用标识符 (\(ai)) \(Self.aiName(ai, zh))" : "missing GS1 element (\(ai)) \(Self.aiName(ai, zh))"
        case .unexpectedElement(let ai):
            return zh ? "一码追溯码不含应用标识符 (\(ai))" : "a Yima unit code does not carry GS1 element (\(ai))"
        case .invalidValue(let ai, let value):
            return zh ? "(\(ai)) \(Self.aiName(ai, zh)) “\(value)” 含不允许的字符或长度不符：只允许 A–Z、0–9 和 '-'，1 至 20 位"
                      : "(\(ai)) \(Self.aiName(ai, zh)) \"\(value)\" is outside the alphabet A–Z, 0–9, '-' or longer than 20"
        case .missingSignature:
            return zh ? "没有签名参数 s：这是未签名的条码" : "no signature parameter s: the code is unsigned"
        case .unsupportedVersion(let version):
            return zh ? "不支持的码格式版本 “\(version)”，请升级核验软件" : "unsupported code format version \"\(version)\"; upgrade the verifier"
        case .badSignatureEncoding(let why):
            return zh ? "签名编码错误：\(why)" : "bad signature encoding: \(why)"
        case .invalidBaseURL(let why):
            return zh ? "解析地址无效：\(why)" : "invalid resolver base URL: \(why)"
        }
    }

    private static func aiName(_ ai: String, _ zh: Bool) -> String {
        switch ai {
        case "01": zh ? "商品条码 GTIN" : "GTIN"
        case "10": zh ? "批号" : "lot"
        case "21": zh ? "序列号" : "serial"
        default: ""
        }
    }
}
