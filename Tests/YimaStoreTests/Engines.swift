import Foundation
import Testing
import YimaPostgres
import YimaStore
import YimaTestSupport

/// The store engines every store test runs on. PostgreSQL needs a cluster: `make
/// test` starts a throwaway one (scripts/with-postgres.sh) and names it in
/// YIMA_TEST_POSTGRES. Without it, CI fails loudly (the PostgreSQL cases run and
/// say why they cannot); a developer's `swift test` runs SQLite alone, saying so.
enum Engine: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let clusterVariable = "YIMA_TEST_POSTGRES"
    static let cluster = ProcessInfo.processInfo.environment[clusterVariable]

    static let all: [Engine] = {
        if cluster != nil || ProcessInfo.processInfo.environment["CI"] == "true" { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("""
            note: \(clusterVariable) is not set, so the store tests run on SQLite only; \
            `make test` (or scripts/with-postgres.sh swift test) runs them on PostgreSQL too.\n
            """.utf8))
        return [.sqlite]
    }()

    static let postgresOnly: [Engine] = all.filter { $0 == .postgres }

    var testDescription: String { rawValue }
}

/// A new, empty store of one engine: a temporary folder for SQLite, a database of
/// its own in the test cluster for PostgreSQL.
final class EngineStore: @unchecked Sendable {
    let engine: Engine
    /// The data folder (SQLite) or the database's URL (PostgreSQL).
    let location: String
    private(set) var store: any TraceStore
    private let directory: TemporaryDirectory?

    init(_ engine: Engine) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            let directory = try TemporaryDirectory()
            self.directory = directory
            location = directory.path
        case .postgres:
            directory = nil
            location = try PostgresCluster.newDatabase()
        }
        store = try Self.open(engine, location)
    }

    static func open(_ engine: Engine, _ location: String) throws -> any TraceStore {
        switch engine {
        case .sqlite: try SQLiteStore(directory: location)
        case .postgres: try PostgresStore(url: location)
        }
    }

    /// The same database opened again (a restarted server, or a second one).
    func reopen() throws -> any TraceStore { try Self.open(engine, location) }

    /// Runs SQL through the engine's own command-line client, outside the store:
    /// what an operator or an intruder with database access could do. Rows print as
    /// `a|b|c`, one a line, in both.
    func sql(_ statements: String) throws -> CommandResult {
        switch engine {
        case .sqlite:
            try run("sqlite3", ["-batch", (location as NSString).appendingPathComponent(SQLiteStore.fileName), statements])
        case .postgres:
            // From standard input, so that each statement runs and prints on its own.
            try run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", location], input: Data(statements.utf8))
        }
    }

    /// `bytes` as the engine's SQL writes a hex string of a blob, upper case.
    func hex(_ column: String) -> String {
        engine == .sqlite ? "hex(\(column))" : "upper(encode(\(column), 'hex'))"
    }
}

/// The throwaway cluster of `make test`.
enum PostgresCluster {
    /// A new database in the cluster, by URL.
    static func newDatabase() throws -> String {
        guard let admin = Engine.cluster else {
            throw StoreError.unavailable("""
                \(Engine.clusterVariable) is not set: run the tests with `make test`, which starts a throwaway \
                PostgreSQL cluster (scripts/with-postgres.sh)
                """)
        }
        let name = "yima_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw StoreError.unavailable("CREATE DATABASE: \(created.stderr)") }
        return url(admin, database: name)
    }

    /// `admin` with its database replaced by `database`.
    static func url(_ admin: String, database: String) -> String {
        var components = URLComponents(string: admin)!
        components.path = "/" + database
        return components.string!
    }
}
