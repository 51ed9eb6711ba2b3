import Foundation

/// A PostgreSQL cluster of one test's own (scripts/pg-cluster.sh), for what the
/// shared cluster of `make test` must not suffer: being stopped and restarted under
/// a running server, or replicated. Stopped and removed when the test lets go of it.
public final class PrivateCluster: @unchecked Sendable {
    public static let script = Repository.root.appendingPathComponent("scripts/pg-cluster.sh").path
    public let directory: TemporaryDirectory
    /// The superuser's URL (over the cluster's Unix socket).
    public let url: String
    private var running = false

    /// Creates and starts a cluster (with `standbyOf`, a streaming standby of that one).
    public init(standbyOf primary: PrivateCluster? = nil) throws {
        directory = try TemporaryDirectory()
        if let primary {
            try Self.script(["standby", directory.path, primary.directory.path])
        } else {
            try Self.script(["create", directory.path])
        }
        url = try Self.script(["url", directory.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        try start()
    }

    public func start() throws {
        try Self.script(["start", directory.path])
        running = true
    }

    /// Stops the cluster (fast: open sessions are ended).
    public func stop() throws {
        try Self.script(["stop", directory.path])
        running = false
    }

    /// Promotes a standby to a primary.
    public func promote() throws { try Self.script(["promote", directory.path]) }

    /// A new empty database, by URL (as `user`, a member of `yima_password` who must give
    /// `password`, when both are given).
    public func newDatabase(user: String? = nil, password: String? = nil) throws -> String {
        let name = "yima_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var sql = "CREATE DATABASE \(name)"
        if let user, let password {
            sql = "CREATE ROLE \(user) LOGIN PASSWORD '\(password)' IN ROLE yima_password; CREATE DATABASE \(name) OWNER \(user)"
        }
        try psql(sql)
        return Self.url(url, database: name, user: user)
    }

    /// Runs SQL as the superuser, in the `postgres` database or `database`; the rows as `a|b`, one a line.
    @discardableResult
    public func psql(_ sql: String, database: String? = nil) throws -> String {
        let result = try run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database ?? url], input: Data(sql.utf8))
        guard result.status == 0 else { throw LocalServerError(message: "psql: \(result.stderr)") }
        return result.output
    }

    /// `base` with its database (and user) replaced.
    public static func url(_ base: String, database: String, user: String? = nil) -> String {
        var components = URLComponents(string: base)!
        components.path = "/" + database
        if let user { components.user = user }
        return components.string!
    }

    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        let result = try run(script, arguments)
        guard result.status == 0 else {
            throw LocalServerError(message: "pg-cluster.sh \(arguments.first ?? ""): \(result.stderr)")
        }
        return result.output
    }

    deinit { if running { try? stop() } }
}
