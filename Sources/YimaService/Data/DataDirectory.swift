import Foundation
import YimaCrypto
import YimaPostgres
import YimaStore

/// A Yima data folder: the SQLite store, and the county authority's keys, whose
/// public half decides who may register parties.
///
///     DIR/yima.sqlite          the store (WAL; -wal and -shm beside it)
///     DIR/authority/*.pub      authority public keys (trust anchors)
///     DIR/authority/*.key      a demo authority's private key, if `init --demo-authority`
///
/// With a `database` URL (postgres://…), the store is that PostgreSQL database
/// instead of DIR/yima.sqlite; the folder keeps the keys and secrets.
public struct DataDirectory: Sendable {
    public let path: String
    /// The PostgreSQL database holding the store, if not the folder's SQLite file.
    public let database: String?
    /// A hot standby of `database` for reads (`yima serve --read-database`); writes go to `database`.
    public var readDatabase: String?
    public var authorityFolder: String { (path as NSString).appendingPathComponent("authority") }

    /// `--data`, else `$YIMA_DATA`, else `./yima-data`; `--database`, else `$YIMA_DATABASE`.
    public static func resolve(_ option: String?, database: String? = nil) -> DataDirectory {
        let environment = ProcessInfo.processInfo.environment
        return DataDirectory(path: option ?? environment["YIMA_DATA"] ?? "yima-data",
                             database: database ?? environment["YIMA_DATABASE"].flatMap { $0.isEmpty ? nil : $0 })
    }

    public init(path: String, database: String? = nil) {
        self.path = path
        self.database = database
    }

    /// Creates the folder (mode 0700) and the database; with `authority`, also an
    /// authority key pair. Refuses to touch a folder that already holds a store.
    /// All or nothing: a database that cannot be reached (or a key that cannot be
    /// written) leaves no folder behind, so the command can simply be run again.
    public func initialize(authorityAlgorithm: SignatureAlgorithm?) throws(ServiceError) -> PublicKey? {
        let file = (path as NSString).appendingPathComponent(SQLiteStore.fileName)
        guard !FileManager.default.fileExists(atPath: file) else {
            throw .invalidArgument(.storeExists, ["path": path])
        }
        // PostgreSQL is reached before anything is made on disk.
        if database != nil { _ = try openStore() }
        let made = [path, authorityFolder].filter { !FileManager.default.fileExists(atPath: $0) }
        do {
            try FileManager.default.createDirectory(atPath: authorityFolder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .output(.cannotCreateDataFolder, ["path": path, "reason": error.localizedDescription])
        }
        do {
            if database == nil { _ = try openStore(creating: true) }
            guard let authorityAlgorithm else { return nil }
            return try KeyGeneration.run(algorithm: authorityAlgorithm,
                                         base: (authorityFolder as NSString).appendingPathComponent("authority"),
                                         passphrase: nil).key.publicKey
        } catch {
            for leftover in [file, file + "-wal", file + "-shm"] + made { try? FileManager.default.removeItem(atPath: leftover) }
            throw error
        }
    }

    /// The folder's store. Only the composition root (`useCases`), tests and benchmarks open it.
    public func open() throws(ServiceError) -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(SQLiteStore.fileName)) else {
            throw .input(.noStore, ["path": path])
        }
        do { return try SQLiteStore(directory: path) } catch { throw .store(error) }
    }

    /// The store: the PostgreSQL database if one is named, else the folder's SQLite
    /// file (which must exist unless `creating`). Either way the schema is brought up to date.
    public func openStore(creating: Bool = false) throws(ServiceError) -> any TraceStore {
        guard let database else {
            if readDatabase != nil { throw .invalidArgument(.readDatabaseNeedsDatabase) }
            return creating ? try createSQLite() : try open()
        }
        do {
            if let readDatabase { return try ReplicatedStore(primary: database, replica: readDatabase) }
            return try PostgresStore(url: database)
        } catch {
            throw .store(error)
        }
    }

    /// The PostgreSQL database `yima migrate` copies this folder's SQLite store into,
    /// its schema brought up to date.
    func migrationTarget(_ url: String) throws(ServiceError) -> any TraceStore & TableImport {
        do { return try PostgresStore(url: url) } catch { throw .store(error) }
    }

    private func createSQLite() throws(ServiceError) -> SQLiteStore {
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
        UseCases(store: try openStore(), authorities: try authorities(), clock: clock)
    }
}
