import Foundation
import GRDB
import YimaCodes

/// Bulk reads behind the lookup server's in-memory unit index.
extension SQLiteStore {
    public func forEachIssuedUnit(gtin: String, lot: String, _ body: (IssuedUnitRow) -> Void) throws(StoreError) {
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT u.serial, u.key_id, u.signature, u.issued_at, s.count IS NOT NULL
                    FROM units u LEFT JOIN scans s ON s.gtin = u.gtin AND s.lot = u.lot AND s.serial = u.serial
                    WHERE u.gtin = ? AND u.lot = ? ORDER BY u.serial
                    """, arguments: [gtin, lot])
                while let row = try rows.next() {
                    let signature: [UInt8] = try row.withUnsafeData(atIndex: 2) { data in data.map(Array.init) ?? [] }
                    body(IssuedUnitRow(serial: row[0], keyID: row[1], signature: signature, issuedAt: row[3], hasScans: row[4]))
                }
            }
        } catch {
            throw .database(Self.message(error))
        }
    }

    public func containers(gtin: String, lot: String) throws(StoreError) -> [String: String] {
        // Children are keyed "GTIN/LOT/SERIAL": the batch's units are one key range.
        // Packing keys of this batch's units: `GTIN/LOT/` then the serial (`UnitPath`).
        let prefix = BatchKey(gtin: gtin, lot: lot).description + "/"
        do {
            return try pool.read { db in
                var containers: [String: String] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT child, parent FROM packing WHERE child >= ? AND child < ?",
                                               arguments: [prefix, BatchKey(gtin: gtin, lot: lot).description + "0"])
                while let row = try rows.next() {
                    let child: String = row[0]
                    containers[String(child.dropFirst(prefix.count))] = row[1]
                }
                return containers
            }
        } catch {
            throw .database(Self.message(error))
        }
    }
}
