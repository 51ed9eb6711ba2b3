import YimaCodes
import YimaStore

/// The issued units of one batch, held in memory so that the lookup server tells a
/// genuine code from a forged or never-issued one without a trip to the store
/// (docs/architecture.md §Lookup path). About 21 bytes per unit: the serial packed
/// into 64 bits, a keyed 64-bit digest of the issued signature, the issuance it
/// came from (key and time) and one bit saying whether the store held scans of the
/// unit when the index was read.
///
/// An index is a snapshot of the batch at `unitCount` units: units are
/// append-only, so it stays exact until the batch's unit count moves.
public struct UnitIndex: Sendable {
    /// A unit's signing key and issuance time: what the key registry judges.
    public struct Issuance: Sendable, Hashable {
        public let keyID: String
        public let issuedAt: Int64
    }

    public enum Match: Sendable, Equatable {
        /// No unit with this serial was issued in the batch.
        case notIssued
        /// The unit exists but the scanned signature is not the issued one.
        case signatureDiffers
        /// Exactly the issued code. `storedScans`: the store held scans of the unit
        /// when the index was read.
        case issued(Issuance, storedScans: Bool)
    }

    public let gtin: String
    public let lot: String
    public let unitCount: Int
    /// Sorted packed serials, and per unit (same position) its digest and issuance.
    private let serials: [UInt64]
    private let digests: [UInt64]
    private let issuanceOfUnit: [UInt32]
    private let issuances: [Issuance]
    private let scanned: [UInt64]
    /// Where each of `buckets.count - 1` equal slices of the serials' key range starts
    /// in `serials`: a lookup searches one slice of a few units, not the whole
    /// array (random serials spread evenly over the range).
    private let buckets: [UInt32]
    private let bucketWidth: UInt64
    /// The digests are keyed per index, so a forger cannot aim at one offline.
    private let seed: (UInt64, UInt64)

    /// The index of `gtin`/`lot` from the store, or nil when a serial does not pack
    /// into 64 bits (longer than 12 symbols or outside A–Z 0–9 '-'): such batches
    /// are answered from the store.
    public static func load(gtin: String, lot: String, from store: any UnitStore) throws(StoreError) -> UnitIndex? {
        let seed = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        var serials: [UInt64] = [], digests: [UInt64] = [], issuanceOfUnit: [UInt32] = [], scannedUnits: [Int] = []
        var issuances: [Issuance] = [], issuanceNumbers: [Issuance: UInt32] = [:]
        var packable = true
        try store.forEachIssuedUnit(gtin: gtin, lot: lot) { unit in
            guard packable, let packed = SerialKey.pack(unit.serial) else { packable = false; return }
            let issuance = Issuance(keyID: unit.keyID, issuedAt: unit.issuedAt)
            let number = issuanceNumbers[issuance] ?? {
                issuances.append(issuance)
                issuanceNumbers[issuance] = UInt32(issuances.count - 1)
                return UInt32(issuances.count - 1)
            }()
            if unit.hasScans { scannedUnits.append(serials.count) }
            serials.append(packed)
            digests.append(Self.digest(unit.signature, seed: seed))
            issuanceOfUnit.append(number)
        }
        guard packable else { return nil }
        // Packed order is the store's (binary) text order, as the alphabet's digits
        // follow ASCII; sorting is only a safeguard.
        if !zip(serials, serials.dropFirst()).allSatisfy({ $0 < $1 }) {
            let order = serials.indices.sorted { serials[$0] < serials[$1] }
            var position = [Int](repeating: 0, count: order.count)
            for (sorted, original) in order.enumerated() { position[original] = sorted }
            scannedUnits = scannedUnits.map { position[$0] }
            serials = order.map { serials[$0] }
            digests = order.map { digests[$0] }
            issuanceOfUnit = order.map { issuanceOfUnit[$0] }
        }
        var scanned = [UInt64](repeating: 0, count: (serials.count + 63) / 64)
        for unit in scannedUnits { scanned[unit / 64] |= 1 << UInt64(unit % 64) }
        return UnitIndex(gtin: gtin, lot: lot, unitCount: serials.count, serials: serials, digests: digests,
                         issuanceOfUnit: issuanceOfUnit, issuances: issuances, scanned: scanned, seed: seed)
    }

    private init(gtin: String, lot: String, unitCount: Int, serials: [UInt64], digests: [UInt64], issuanceOfUnit: [UInt32],
                 issuances: [Issuance], scanned: [UInt64], seed: (UInt64, UInt64)) {
        self.gtin = gtin
        self.lot = lot
        self.unitCount = unitCount
        self.serials = serials
        self.digests = digests
        self.issuanceOfUnit = issuanceOfUnit
        self.issuances = issuances
        self.scanned = scanned
        self.seed = seed
        // About four units per slice.
        let count = max(1, serials.count / 4)
        bucketWidth = (serials.last ?? 0) / UInt64(count) + 1
        var buckets = [UInt32](repeating: UInt32(serials.count), count: count + 1)
        var bucket = 0
        for (position, key) in serials.enumerated() {
            while bucket <= Int(key / bucketWidth) {
                buckets[bucket] = UInt32(position)
                bucket += 1
            }
        }
        self.buckets = buckets
    }

    /// What the index says of a scanned serial and signature.
    public func match(serial: String, signature: [UInt8]) -> Match {
        guard let packed = SerialKey.pack(serial), let position = position(of: packed) else { return .notIssued }
        guard digests[position] == Self.digest(signature, seed: seed) else { return .signatureDiffers }
        let storedScans = scanned[position / 64] & (1 << UInt64(position % 64)) != 0
        return .issued(issuances[Int(issuanceOfUnit[position])], storedScans: storedScans)
    }

    private func position(of packed: UInt64) -> Int? {
        let bucket = Int(packed / bucketWidth)
        guard bucket < buckets.count - 1 else { return nil }
        var low = Int(buckets[bucket]), high = Int(buckets[bucket + 1])
        while low < high {
            let middle = (low + high) / 2
            if serials[middle] < packed { low = middle + 1 } else { high = middle }
        }
        return low < serials.count && serials[low] == packed ? low : nil
    }

    /// SipHash-1-3 (Swift's `Hasher`) of the signature under the index's own seed:
    /// two different signatures share a digest with probability 2⁻⁶⁴, and without
    /// the seed nobody can search for a colliding one.
    private static func digest(_ signature: [UInt8], seed: (UInt64, UInt64)) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed.0)
        hasher.combine(seed.1)
        signature.withUnsafeBytes { hasher.combine(bytes: $0) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

/// A serial of up to 12 symbols from A–Z, 0–9 and '-' (docs/code-format.md §Shape)
/// as one 64-bit number: base 38, one digit per symbol, 0 padding the end
/// (38¹² < 2⁶⁴), so distinct serials get distinct keys.
enum SerialKey {
    static func pack(_ serial: String) -> UInt64? {
        var value: UInt64 = 0, count = 0
        for byte in serial.utf8 {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "-"): digit = 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0")) + 2
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 12
            default: return nil
            }
            count += 1
            if count > 12 { return nil }
            value = value * 38 + digit
        }
        guard count > 0 else { return nil }
        for _ in count..<12 { value *= 38 }
        return value
    }
}
