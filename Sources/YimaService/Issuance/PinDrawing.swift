import Foundation
import YimaStore

/// Hidden PINs drawn while codes are minted: each unit gets a random PIN whose keyed
/// hash travels with it into the store's issuance transaction, and the PINs in the
/// clear are kept for `pins.csv`, the print shop's file (mode 0600: it is a secret).
struct PinDrawing {
    static let fileName = "pins.csv"
    let secret: ServerSecret
    private(set) var text = "serial,pin\n"
    private(set) var count = 0

    init(secret: ServerSecret) { self.secret = secret }

    /// The units with their PIN hashes; their PINs are remembered for `write`.
    mutating func assign(_ units: [StoredUnit]) -> [StoredUnit] {
        units.map { unit in
            let pin = Issuance.randomPin()
            text += "\(unit.serial),\(pin)\n"
            count += 1
            var withPin = unit
            withPin.pinHash = secret.pinHash(gtin: unit.gtin, lot: unit.lot, serial: unit.serial, pin: pin)
            return withPin
        }
    }

    func write(to path: String) throws(ServiceError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .output(.writeFailed, ["path": path])
        }
    }
}
