import Foundation

/// What an attacker with the database file does (docs/checkpoint.md §Tampering):
/// drops the append-only trigger with the sqlite3 tool and rewrites one byte of a
/// stored record's signed payload, leaving the Merkle log's tables untouched.
public enum Tamper {
    /// Rewrites the first `from` byte after `marker` in record `sequence`'s payload to
    /// `to` (re-encoding the payload, so the envelope still parses). Returns the
    /// envelope bytes before and after.
    @discardableResult
    public static func rewritePayloadByte(database: String, sequence: Int, after marker: String,
                                          from: UInt8, to: UInt8) throws -> (before: String, after: String) {
        let read = try run("sqlite3", [database, "SELECT CAST(envelope AS TEXT) FROM records WHERE seq = \(sequence)"])
        let envelope = read.output.trimmingCharacters(in: .newlines)
        guard read.status == 0, let object = try JSONSerialization.jsonObject(with: Data(envelope.utf8)) as? [String: Any],
              let encoded = object["payload"] as? String, var payload = base64URLDecode(encoded),
              let markerRange = payload.range(of: Data(marker.utf8)),
              let index = payload[markerRange.upperBound...].firstIndex(of: from) else {
            throw TamperError(message: "record \(sequence) has no \(marker)…\(Character(UnicodeScalar(from))): \(read.stderr)")
        }
        payload[index] = to
        let rewritten = envelope.replacingOccurrences(of: encoded, with: base64URLEncode(payload))
        let hex = Data(rewritten.utf8).map { String(format: "%02x", $0) }.joined()
        let write = try run("sqlite3", [database, """
            DROP TRIGGER IF EXISTS records_are_append_only_u;
            UPDATE records SET envelope = X'\(hex)' WHERE seq = \(sequence);
            """])
        guard write.status == 0 else { throw TamperError(message: write.stderr) }
        return (envelope, rewritten)
    }

    /// The log position of the first stored event.
    public static func firstEvent(database: String) throws -> Int {
        let result = try run("sqlite3", [database, "SELECT MIN(seq) FROM records WHERE kind = 'event'"])
        guard let sequence = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TamperError(message: "no event in \(database): \(result.stderr)")
        }
        return sequence
    }

    struct TamperError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
