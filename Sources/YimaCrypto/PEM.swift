/// Textual encoding of DER structures (RFC 7468).
enum PEM {
    /// The label of the first PEM block in `text` (RFC 7468 §2), e.g. "PUBLIC KEY".
    static func label(of text: String) -> String? {
        guard let begin = text.firstRange(of: "-----BEGIN "),
              let end = text[begin.upperBound...].firstRange(of: "-----") else { return nil }
        return String(text[begin.upperBound..<end.lowerBound])
    }

    static func encode(label: String, der: [UInt8]) -> String {
        let body = Array(Base64.encode(der).utf8)
        var text = "-----BEGIN \(label)-----\n"
        for start in stride(from: 0, to: body.count, by: 64) {
            text += String(decoding: body[start..<min(start + 64, body.count)], as: UTF8.self) + "\n"
        }
        return text + "-----END \(label)-----\n"
    }
}
