import YimaCodes
import YimaRecords
import YimaStore

/// External trace codes (docs/records.md §External trace codes): a code a provincial
/// or national platform assigned, resolved to the batch or unit it names.
public struct TraceAliases: Sendable {
    let aliases: any AliasStore
    let units: any UnitStore

    /// Where an alias leads: a batch's path, or a unit's code as printed under `base`
    /// (with its signature, so the page can verify it).
    public enum Target: Sendable, Equatable {
        case batch(path: String, batchKey: String)
        case unit(UnitCode)
    }

    /// The target of `code`. A code of the wrong shape is `invalidArgument`, one no
    /// record assigned is `notFound`.
    public func resolve(_ code: String, base: ResolverBase) throws(ServiceError) -> Target {
        do { _ = try TraceAlias(code, field: "code") } catch { throw .record(error) }
        guard let target = try ServiceError.reading({ try aliases.alias(code: code) }),
              let key = BatchKey(parsing: target.batchKey) else {
            throw .notFound(.aliasUnknown, ["code": code])
        }
        if let serial = target.serial {
            guard let unit = try ServiceError.reading({ try units.unit(gtin: key.gtin, lot: key.lot, serial: serial) }),
                  let printed = unit.code(stem: base.description) else {
                throw .notFound(.aliasUnknown, ["code": code])
            }
            return .unit(printed)
        }
        return .batch(path: "/01/\(key.gtin)/10/\(key.lot)", batchKey: target.batchKey)
    }

    /// The codes assigned to a batch and its units, in the order they were assigned.
    public func aliases(batch key: String) throws(ServiceError) -> [AliasTarget] {
        try ServiceError.reading { try aliases.aliases(batchKey: key) }
    }
}
