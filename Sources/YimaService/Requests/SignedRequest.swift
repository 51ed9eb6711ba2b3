import Foundation
import YimaCrypto
import YimaRecords
import YimaStore

/// A signed workbench request (docs/api.md §Signed requests: time and nonce): an
/// envelope (docs/envelope.md §2) whose canonical payload has `v`, a `kind` that is
/// no record kind, the client's `time` and a random `nonce`, besides its own members.
public struct SignedRequest: Sendable {
    /// How far `time` may be from the server's clock, either way.
    public static let window: Int64 = 300
    /// How long an accepted nonce is remembered: longer than the window on both sides.
    public static let nonceLifetime: Int64 = 900

    public let envelope: Envelope
    public let time: Instant
    public let timeText: String
    public let nonce: String
    /// The payload's other members, for the request's own decoder.
    public let members: [String: JSONValue]

    /// Reads the payload's common members; the signature is checked by the caller,
    /// which knows the key.
    init(_ envelope: Envelope, kind: String) throws(RequestRefusal) {
        self.envelope = envelope
        let value: JSONValue
        do { value = try CanonicalJSON.decode(envelope.payload) } catch {
            throw RequestRefusal(.malformed(field: ""), .requestNotJSON, ["reason": error])
        }
        guard case .object(var members) = value else {
            throw RequestRefusal(.malformed(field: ""), .requestNotJSON, ["reason": "not an object"])
        }
        guard case .integer(1)? = members.removeValue(forKey: "v") else { throw RequestRefusal(.malformed(field: "v"), .requestVersion) }
        guard case .string(kind)? = members.removeValue(forKey: "kind") else {
            throw RequestRefusal(.malformed(field: "kind"), .requestKind, ["kind": kind])
        }
        guard case .string(let time)? = members.removeValue(forKey: "time"), let instant = Self.instant(time) else {
            throw RequestRefusal(.malformed(field: "time"), .requestTimeShape)
        }
        guard case .string(let nonce)? = members.removeValue(forKey: "nonce"), Self.isNonce(nonce) else {
            throw RequestRefusal(.malformed(field: "nonce"), .requestNonceShape)
        }
        self.time = instant
        timeText = time
        self.nonce = nonce
        self.members = members
    }

    /// Refuses a request signed more than `window` seconds from `now`.
    func requireFresh(now: Instant) throws(RequestRefusal) {
        guard abs(time.seconds - now.seconds) <= Self.window else {
            let server = RFC3339.utc(now.seconds)
            throw RequestRefusal(.stale(serverTime: server), .requestStale, ["time": timeText, "server": server, "window": Self.window])
        }
    }

    /// Remembers the nonce, refusing a request whose key sent it before.
    func useNonce(_ nonces: any RequestNonceStore, now: Instant) throws(ServiceError) {
        let fresh = try ServiceError.reading {
            try nonces.useNonce(keyID: envelope.keyID.hex, nonce: nonce, now: now.seconds, expiresAt: now.seconds + Self.nonceLifetime)
        }
        guard fresh else { throw .request(RequestRefusal(.replayed, .requestReplayed, ["nonce": nonce])) }
    }

    /// Verifies the envelope's signature with `key`.
    func requireSignature(by key: PublicKey) throws(RequestRefusal) {
        try Self.requireSignature(envelope, by: key)
    }

    /// Verifies an envelope's signature with `key`, before its payload is read.
    static func requireSignature(_ envelope: Envelope, by key: PublicKey) throws(RequestRefusal) {
        do { try envelope.requireValid(with: key) } catch {
            throw RequestRefusal(.badSignature, .requestBadSignature, ["reason": error.message(in: .english)])
        }
    }

    /// Refuses members other than `allowed`.
    func requireOnly(_ allowed: Set<String>, prefix: String = "") throws(RequestRefusal) {
        if let extra = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw RequestRefusal(.malformed(field: prefix + extra), .requestUnknownMember, ["field": prefix + extra])
        }
    }

    /// RFC 3339 `date-time` with `Z` or a numeric offset (records' `Timestamp`, which wants the offset).
    static func instant(_ text: String) -> Instant? {
        var text = text
        if text.hasSuffix("Z") || text.hasSuffix("z") { text = String(text.dropLast()) + "+00:00" }
        return (try? Timestamp(text))?.instant
    }

    static func isNonce(_ text: String) -> Bool {
        (22...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

extension SignedRequest {
    /// A required string member.
    func string(_ name: String) throws(RequestRefusal) -> String {
        guard let value = members[name] else { throw RequestRefusal(.malformed(field: name), .requestMissing, ["field": name]) }
        guard case .string(let text) = value else {
            throw RequestRefusal(.malformed(field: name), .requestFieldType, ["field": name, "type": "string"])
        }
        return text
    }
}
