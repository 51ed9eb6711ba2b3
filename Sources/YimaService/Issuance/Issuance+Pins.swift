import Foundation
import YimaCrypto
import YimaRecords
import YimaStore

/// What issuing hidden PINs produced.
public struct PinIssueSummary: Sendable {
    public let count: Int
    /// `OUT/pins.csv`: `serial,pin` per line, for printing the scratch-off labels.
    public let file: String
}

/// The answer to a PIN check (docs/api.md §verify-pin).
public enum PinVerification: Sendable, Equatable {
    /// Right PIN, entered for the first time now.
    case firstVerification(at: Int64)
    /// Right PIN, first entered at that time (Unix seconds): a repeat, or a copy.
    case alreadyVerified(firstAt: Int64)
    case wrongPin
    /// The unit has no PIN (issued without `--pins`).
    case noPin
    /// No such unit was issued.
    case notIssued
}

/// Hidden PINs (刮刮码): a random number per unit, printed under a scratch-off
/// layer. Only an HMAC under the data folder's secret is stored (`ServerSecret`).
extension Issuance {
    public static let pinDigits = 8

    /// Draws a PIN for every issued unit of a batch, stores their hashes in one
    /// transaction and writes `OUT/pins.csv` (mode 0600). A batch gets PINs once:
    /// if any unit already has one, nothing is stored.
    public func issuePins(batch: BatchReference, secret: ServerSecret, outputDirectory: String) throws(ServiceError) -> PinIssueSummary {
        let (gtin, lot) = (batch.gtin.rawValue, batch.lot.rawValue)
        let serials = try ServiceError.reading { try units.serials(gtin: gtin, lot: lot) }
        guard !serials.isEmpty else {
            throw .rejected(.unknownReference, .batchNotIssued, ["batch": batch.key])
        }
        let file = (outputDirectory as NSString).appendingPathComponent("pins.csv")
        let staging = (outputDirectory as NSString).appendingPathComponent(".pins.csv.partial")
        guard !FileManager.default.fileExists(atPath: file) else {
            throw .output(.fileExists, ["path": file])
        }
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .output(.cannotCreateReason, ["path": outputDirectory, "reason": error.localizedDescription])
        }
        let now = Int64(Date().timeIntervalSince1970)
        var text = "serial,pin\n"
        var rows: [StoredPin] = []
        rows.reserveCapacity(serials.count)
        for serial in serials {
            let pin = Self.randomPin()
            text += "\(serial),\(pin)\n"
            rows.append(StoredPin(gtin: gtin, lot: lot, serial: serial,
                                  hash: secret.pinHash(gtin: gtin, lot: lot, serial: serial, pin: pin), createdAt: now))
        }
        guard FileManager.default.createFile(atPath: staging, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .output(.writeFailed, ["path": staging])
        }
        do {
            try pins.storePins(rows)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw .store(error)
        }
        guard rename(staging, file) == 0 else {
            throw .output(.cannotRename, ["staging": staging, "path": file, "reason": String(cString: strerror(errno))])
        }
        return PinIssueSummary(count: rows.count, file: file)
    }

    /// Checks a PIN entered for a unit. The first right entry is remembered.
    public func verifyPin(gtin: String, lot: String, serial: String, pin: String, secret: ServerSecret,
                          now: Int64 = Int64(Date().timeIntervalSince1970)) throws(ServiceError) -> PinVerification {
        guard try ServiceError.reading({ try units.unit(gtin: gtin, lot: lot, serial: serial) }) != nil else { return .notIssued }
        guard let stored = try ServiceError.reading({ try pins.pin(gtin: gtin, lot: lot, serial: serial) }) else {
            return .noPin
        }
        let candidate = secret.pinHash(gtin: gtin, lot: lot, serial: serial, pin: pin)
        guard HMAC.constantTimeEqual(candidate, stored.hash) else { return .wrongPin }
        if let first = stored.firstVerifiedAt { return .alreadyVerified(firstAt: first) }
        let first = try ServiceError.reading { try pins.markPinVerified(gtin: gtin, lot: lot, serial: serial, at: now) }
        return first == now ? .firstVerification(at: now) : .alreadyVerified(firstAt: first)
    }

    static func randomPin() -> String {
        let bytes = secureRandomBytes(8)
        let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let modulus = (0..<pinDigits).reduce(UInt64(1)) { value, _ in value * 10 }
        let digits = String(value % modulus)
        return String(repeating: "0", count: pinDigits - digits.count) + digits
    }
}
