/// How Yima names a batch and a unit as text: `GTIN/LOT` and `GTIN/LOT/SERIAL`
/// (the command line's `--batch`, the store's batch and packing keys, the write
/// API's `batch` member). Formatted here and parsed here, nowhere else. The parts
/// are not checked: `BatchReference` (YimaRecords) checks a GTIN's digit and a
/// lot's characters; a `UnitCode` is checked when it is parsed.
public struct BatchKey: Sendable, Hashable, CustomStringConvertible {
    public let gtin: String
    public let lot: String

    public init(gtin: String, lot: String) {
        self.gtin = gtin
        self.lot = lot
    }

    /// Splits `GTIN/LOT` at its first `/`; nil without one or with an empty part.
    public init?(parsing text: some StringProtocol) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let gtin = text[..<slash], lot = text[text.index(after: slash)...]
        guard !gtin.isEmpty, !lot.isEmpty else { return nil }
        self.init(gtin: String(gtin), lot: String(lot))
    }

    public var description: String { "\(gtin)/\(lot)" }

    /// One unit of this batch.
    public func unit(_ serial: String) -> UnitPath { UnitPath(batch: self, serial: serial) }
}

/// A unit as text, `GTIN/LOT/SERIAL`: how packing records and the store name units.
public struct UnitPath: Sendable, Hashable, CustomStringConvertible {
    public let batch: BatchKey
    public let serial: String

    public init(batch: BatchKey, serial: String) {
        self.batch = batch
        self.serial = serial
    }

    /// Parses `GTIN/LOT/SERIAL`; nil unless there are exactly three non-empty parts.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(batch: BatchKey(gtin: String(parts[0]), lot: String(parts[1])), serial: String(parts[2]))
    }

    public var description: String { "\(batch)/\(serial)" }

    /// The unit's GS1 Digital Link path, `/01/GTIN/10/LOT/21/SERIAL`.
    public var digitalLinkPath: String { "/01/\(batch.gtin)/10/\(batch.lot)/21/\(serial)" }
}

extension UnitCode {
    /// The code's batch as text.
    public var batchKey: BatchKey { BatchKey(gtin: gtin, lot: lot) }
}
