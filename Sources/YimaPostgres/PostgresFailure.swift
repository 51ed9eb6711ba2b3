import NIOPosix
import PostgresNIO
import YimaStore

/// PostgreSQL's errors as `StoreError`s. postgres-nio's own descriptions are
/// deliberately generic (they may hold query data), so the server's SQLSTATE and
/// message are read out here; neither ever contains the connection's password.
enum PostgresFailure {
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    static let raisedException = "P0001"

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// One line saying what went wrong, for `StoreError` messages.
    static func describe(_ error: any Error) -> String {
        if error is ConnectionLost { return "the connection to the database was lost" }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            return message + (info[.detail].map { " (\($0))" } ?? "")
        }
        switch error.code {
        case .connectionError:
            // NIO lists every address it tried; the first failure says enough.
            if let failures = error.underlying as? NIOConnectionError, let first = failures.connectionErrors.first {
                return "cannot connect to \(first.target): \(first.error)"
            }
            return "cannot connect: " + (error.underlying.map { "\($0)" } ?? "connection refused")
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "the connection to the database was lost"
        case .authMechanismRequiresPassword:
            return "the server asks for a password and none was given (URL, PGPASSWORD or ~/.pgpass)"
        default:
            return "\(error.code)"
        }
    }

    /// Whether `error` is postgres-nio's (or ours) for a connection that ended.
    static func isLostConnection(_ error: any Error) -> Bool {
        if error is ConnectionLost { return true }
        if case .connectionClosed? = error as? PostgresError { return true }
        return false
    }

    /// Whether `error` came from the database or the connection, rather than from a
    /// caller's code running inside a transaction (an issuance's producer).
    static func isPostgres(_ error: any Error) -> Bool {
        error is PSQLError || isLostConnection(error)
    }

    /// The store's error for a failure that is not one of the store's own refusals.
    /// The same words as SQLite's where the tests and callers compare them.
    static func storeError(_ error: any Error, url: DatabaseURL) -> StoreError {
        if let error = error as? StoreError { return error }
        if isLostConnection(error) { return .unavailable("\(url): the connection to the database was lost") }
        guard let psql = error as? PSQLError else { return .database("\(error)") }
        if psql.serverInfo == nil { return .unavailable("\(url): \(describe(error))") }
        if sqlState(error) == foreignKeyViolation { return .database("FOREIGN KEY constraint failed") }
        return .database(describe(error))
    }
}
