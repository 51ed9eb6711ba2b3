import Foundation

/// A flush's scans grouped for writing: one entry per unit, and within it one per
/// client, so the store writes each row of `scans` and `scan_clients` once per flush
/// instead of once per scan. Units come in key order (B-tree pages in order).
///
/// Grouping compares the UTF-8 bytes, as SQLite's BINARY collation does (Swift's
/// `String ==` would merge canonically equivalent spellings that are two keys in
/// the database).
package struct ScanBatch {
    package struct Unit {
        package let gtin: String
        package let lot: String
        package let serial: String
        package var count: Int64
        package var firstAt: Int64
        package var lastAt: Int64
        /// This unit's range in `clients`.
        package var clients: Range<Int>
    }

    package struct Client {
        package let client: [UInt8]
        package var count: Int64
        /// The time of this client's first scan in batch order: what the per-scan
        /// writer stored as `scan_clients.first_at` for a client new to the unit.
        package let firstAt: Int64
    }

    package private(set) var units: [Unit] = []
    package private(set) var clients: [Client] = []

    package init(_ scans: [ScanObservation]) {
        // Length-prefixed, so equal keys are equal triples; the order is the
        // database's wherever lengths match (the only use of the order is locality).
        let keys = scans.map { scan in
            var key: [UInt8] = []
            key.reserveCapacity(scan.gtin.utf8.count + scan.lot.utf8.count + scan.serial.utf8.count + 12)
            for part in [scan.gtin, scan.lot, scan.serial] {
                // 4 bytes: SQLite's longest string is under 2^31 bytes.
                let count = UInt32(truncatingIfNeeded: part.utf8.count)
                key += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
                key += part.utf8
            }
            return key
        }
        // Ties broken by position, so a client's run starts with its first scan.
        let order = scans.indices.sorted { a, b in
            if let order = Self.compare(keys[a], keys[b]) { return order }
            if let order = Self.compare(scans[a].client, scans[b].client) { return order }
            return a < b
        }
        units.reserveCapacity(scans.count)
        clients.reserveCapacity(scans.count)
        var previous: Int?
        for index in order {
            let scan = scans[index]
            if let previous, keys[previous] == keys[index] {
                let unit = units.count - 1
                units[unit].count += 1
                units[unit].firstAt = min(units[unit].firstAt, scan.time)
                units[unit].lastAt = max(units[unit].lastAt, scan.time)
                if scans[previous].client == scan.client {
                    clients[clients.count - 1].count += 1
                } else {
                    clients.append(Client(client: scan.client, count: 1, firstAt: scan.time))
                    units[unit].clients = units[unit].clients.lowerBound..<clients.count
                }
            } else {
                clients.append(Client(client: scan.client, count: 1, firstAt: scan.time))
                units.append(Unit(gtin: scan.gtin, lot: scan.lot, serial: scan.serial, count: 1, firstAt: scan.time, lastAt: scan.time,
                                  clients: clients.count - 1..<clients.count))
            }
            previous = index
        }
    }

    /// Byte order; nil when equal.
    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> Bool? {
        let common = min(a.count, b.count)
        let result = common == 0 ? 0 : a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, common) }
        }
        if result != 0 { return result < 0 }
        return a.count == b.count ? nil : a.count < b.count
    }
}
