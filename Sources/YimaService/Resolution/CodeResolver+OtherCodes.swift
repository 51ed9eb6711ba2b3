import YimaCodes
import YimaCrypto
import YimaLabels
import YimaRecords
import YimaStore

/// What a carton or pallet holds: unit Digital Link paths (`/01/…/10/…/21/…`) or carton
/// SSCCs, and the SSCC of the pallet it is on.
public struct ContainerContents: Sendable, Equatable {
    public let sscc: String
    public let units: [String]
    public let cartons: [String]
    public let container: String?
}

/// The other codes a resolver answers for: typed short codes and container SSCCs.
extension CodeResolver {
    /// The unit behind a typed short code (docs/labels.md §Short code), with its code as
    /// printed under `base`; nil when no issued unit has that serial.
    public func resolve(_ shortCode: ShortCode, base: ResolverBase) throws(ServiceError) -> [UnitCode] {
        try ServiceError.reading { try units.units(serial: shortCode.serial) }.compactMap { $0.code(stem: base.description) }
    }

    /// What a carton or pallet holds, as the store's packing events recorded it, and what
    /// it was itself packed onto; nil when the store knows nothing of the SSCC.
    public func container(_ sscc: SSCC) throws(ServiceError) -> ContainerContents? {
        let children = try ServiceError.reading { try units.contents(of: sscc.rawValue) }
        let parent = try ServiceError.reading { try units.container(of: sscc.rawValue) }
        guard !children.isEmpty || parent != nil else { return nil }
        // Units are stored as GTIN/LOT/SERIAL, cartons as their SSCC.
        let unitPaths = children.compactMap { UnitPath(parsing: $0)?.digitalLinkPath }
        return ContainerContents(sscc: sscc.rawValue, units: unitPaths, cartons: children.filter { UnitPath(parsing: $0) == nil },
                                 container: parent)
    }
}

extension StoredUnit {
    /// The code as printed under `stem` (the stem is not signed; docs/code-format.md).
    func code(stem: String) -> UnitCode? {
        KeyID(hex: keyID).map { UnitCode(stem: stem, gtin: gtin, lot: lot, serial: serial, keyHint: $0.short, signature: signature) }
    }
}
