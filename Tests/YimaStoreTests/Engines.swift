import Foundation
import Testing
import YimaPostgres
import YimaStore
import YimaTestSupport

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
