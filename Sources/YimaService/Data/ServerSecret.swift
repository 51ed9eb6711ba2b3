import Foundation
import YimaCrypto

/// The data folder's secret key for the lookup server's keyed hashes (client
/// addresses, PINs): `DIR/server.secret`, 32 random bytes, mode 0600, made on
/// first use. It lives outside the database, so a leaked database alone lets no
/// one test guesses of an address or a PIN.
public struct ServerSecret: Sendable {
    public static let fileName = "server.secret"
    public static let byteCount = 32
    let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count >= 16, "a server secret needs at least 16 bytes")
        self.key = key
    }

    /// Reads the folder's secret, creating it if missing.
    public static func load(_ directory: DataDirectory) throws(ServiceError) -> ServerSecret {
        let path = (directory.path as NSString).appendingPathComponent(fileName)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == byteCount else {
                throw .input(.secretSize, ["path": path, "size": byteCount])
            }
            return ServerSecret(key: Array(data))
        }
        let key = secureRandomBytes(byteCount)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return try load(directory) }
            throw .output(.cannotCreateReason, ["path": path, "reason": String(cString: strerror(errno))])
        }
        defer { close(descriptor) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == key.count, fsync(descriptor) == 0 else {
            throw .output(.writeFailedReason, ["path": path, "reason": String(cString: strerror(errno))])
        }
        return ServerSecret(key: key)
    }

    /// HMAC-SHA-256 (RFC 2104) of `message` under the secret.
    public func mac(_ message: some Collection<UInt8>) -> [UInt8] {
        HMAC.sha256(key: key, message: message)
    }

    /// The 16-byte pseudonym of a client address for scan counting: the same client
    /// always maps to the same value within one data folder, and the value reveals
    /// nothing about the address without the secret.
    public func clientID(_ address: String) -> [UInt8] {
        Array(mac(Array("yima-scan-client/1\n".utf8) + Array(address.utf8)).prefix(16))
    }

    /// The stored form of a unit's PIN, bound to the unit so that equal PINs on
    /// different units hash differently.
    public func pinHash(gtin: String, lot: String, serial: String, pin: String) -> [UInt8] {
        mac(Array("yima-pin/1\n01 \(gtin)\n10 \(lot)\n21 \(serial)\npin \(pin)\n".utf8))
    }
}

/// HMAC (RFC 2104) over SHA-256.
public enum HMAC {
    public static func sha256(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = Digest.sha256(block.map { $0 ^ 0x36 } + Array(message))
        return Digest.sha256(block.map { $0 ^ 0x5c } + inner)
    }

    /// Compares in time independent of where the bytes differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
