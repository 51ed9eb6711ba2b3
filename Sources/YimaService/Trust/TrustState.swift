import Foundation
import YimaCrypto
import YimaRecords

/// What an offline verifier remembers between trust lists (docs/trust-list.md §3):
/// the highest list version it has accepted from each authority key, so that an
/// older list, still unexpired, cannot hide a later revocation or recall.
///
///     {"format":"yima-trust-state/1","versions":{"<authority key id>":<version>,…}}
///
/// Public data: nothing in it is secret.
public struct TrustState: Equatable, Sendable {
    public static let format = "yima-trust-state/1"
    /// The file `yima verify --trust-list` uses unless told otherwise: in the trust folder.
    public static let defaultName = "trust-state.json"

    /// Authority key → the highest list version accepted from it.
    public private(set) var versions: [KeyID: Int64]

    public init(versions: [KeyID: Int64] = [:]) {
        self.versions = versions
    }

    /// Canonical JSON, ending in a newline.
    public var encoded: [UInt8] {
        var members: [String: JSONValue] = [:]
        for (key, version) in versions { members[key.hex] = .integer(version) }
        return CanonicalJSON.encode(.object(["format": .string(Self.format), "versions": .object(members)])) + [0x0A]
    }

    /// Reads a state file's bytes; anything but a well-formed state is an error naming the file.
    public init(decoding bytes: [UInt8], file: String) throws(ServiceError) {
        let malformed = ServiceError.input(.trustStateMalformed, ["path": file, "format": Self.format])
        guard case .object(let members)? = try? CanonicalJSON.parse(bytes),
              case .string(Self.format)? = members["format"],
              case .object(let entries)? = members["versions"] else { throw malformed }
        var versions: [KeyID: Int64] = [:]
        for (hex, value) in entries {
            guard let key = KeyID(hex: hex), key.hex == hex, case .integer(let version) = value, version >= 0 else {
                throw malformed
            }
            versions[key] = version
        }
        self.init(versions: versions)
    }

    /// Reads the state at `path`; a missing file is an empty state (a verifier's first list).
    public static func load(_ path: String) throws(ServiceError) -> TrustState {
        guard FileManager.default.fileExists(atPath: path) else { return TrustState() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .input(.trustStateCannotRead, ["path": path, "reason": error.localizedDescription])
        }
        return try TrustState(decoding: Array(data), file: path)
    }

    /// Refuses a list older than the one remembered for its authority key; an equal
    /// version is the same list (or a re-signed one) and is accepted.
    public func check(_ list: VerifiedTrustList, stateFile: String) throws(ServiceError) {
        guard let seen = versions[list.authority.id], list.list.version < seen else { return }
        throw .rejected(.rolledBack, .trustListRolledBack,
                        ["version": list.list.version, "seen": seen, "key": list.authority.id.hex, "state": stateFile])
    }

    /// Remembers a verified list's version if it is the highest seen from its authority key.
    public mutating func remember(_ list: VerifiedTrustList) {
        versions[list.authority.id] = max(versions[list.authority.id] ?? list.list.version, list.list.version)
    }

    /// Writes the state atomically (a new file renamed over the old).
    public func save(to path: String) throws(ServiceError) {
        do {
            try Data(encoded).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .output(.trustStateCannotSave, ["path": path, "reason": error.localizedDescription])
        }
    }

    /// Checks a verified list against the state file at `path` and, if accepted,
    /// saves its version there. The file changes only for an accepted, newer list.
    public static func admit(_ list: VerifiedTrustList, stateFile path: String) throws(ServiceError) {
        var state = try load(path)
        try state.check(list, stateFile: path)
        let before = state
        state.remember(list)
        if state != before || !FileManager.default.fileExists(atPath: path) { try state.save(to: path) }
    }
}
