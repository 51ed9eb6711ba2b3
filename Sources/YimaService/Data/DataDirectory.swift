import Foundation
import YimaCrypto
import YimaStore

/// A Yima data folder: the SQLite store, and the county authority's keys, whose
/// public half decides who may register parties.
///
///     DIR/yima.sqlite          the store (WAL; -wal and -shm beside it)
///     DIR/authority/*.pub      authority public keys (trust anchors)
///     DIR/authority/*.key      a demo authority's private key, if `init --demo-authority`
public struct DataDirectory: Sendable {
    public let path: String
    public var authorityFolder: String { (path as NSString).appendingPathComponent("authority") }

    /// `--data`, else `$YIMA_DATA`, else `./yima-data`.
    public static func resolve(_ option: String?) -> DataDirectory {
        DataDirectory(path: option ?? ProcessInfo.processInfo.environment["YIMA_DATA"] ?? "yima-data")
    }

    public init(path: String) { self.path = path }

    /// Creates the folder (mode 0700) and the database; with `authority`, also an
    /// authority key pair. Refuses to touch a folder that already holds a store.
    public func initialize(authorityAlgorithm: SignatureAlgorithm?) throws(ServiceError) -> PublicKey? {
        let database = (path as NSString).appendingPathComponent(SQLiteStore.fileName)
        guard !FileManager.default.fileExists(atPath: database) else {
            throw .invalidArgument(.storeExists, ["path": path])
        }
        do {
            try FileManager.default.createDirectory(atPath: authorityFolder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .output(.cannotCreateDataFolder, ["path": path, "reason": error.localizedDescription])
        }
        do { _ = try SQLiteStore(directory: path) } catch { throw .store(error) }
        var authority: PublicKey?
        if let authorityAlgorithm {
            let made = try KeyGeneration.run(algorithm: authorityAlgorithm,
                                             base: (authorityFolder as NSString).appendingPathComponent("authority"),
                                             passphrase: nil)
            authority = made.key.publicKey
        }
        return authority
    }

    /// The folder's store. Only the composition root (`useCases`), tests and benchmarks open it.
    public func open() throws(ServiceError) -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(SQLiteStore.fileName)) else {
            throw .input(.noStore, ["path": path])
        }
        do { return try SQLiteStore(directory: path) } catch { throw .store(error) }
    }

    /// The authority public keys in `DIR/authority/`.
    public func authorities() throws(ServiceError) -> [PublicKey] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: authorityFolder)) ?? []
        var keys: [PublicKey] = []
        for name in names.sorted() where name.hasSuffix(".pub") {
            do {
                keys.append(try KeyFile.loadPublic((authorityFolder as NSString).appendingPathComponent(name)))
            } catch {
                throw ServiceError.wrap(error)
            }
        }
        return keys
    }

    /// The use cases over this folder's store and authorities.
    public func useCases(clock: ServiceClock = ServiceClock()) throws(ServiceError) -> UseCases {
        UseCases(store: try open(), authorities: try authorities(), clock: clock)
    }
}
