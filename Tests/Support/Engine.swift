import Foundation

/// The store engines a test runs on. PostgreSQL needs a cluster: `make test` starts
/// a throwaway one (scripts/with-postgres.sh) and names it in YIMA_TEST_POSTGRES.
/// Without it, CI fails loudly (the PostgreSQL cases run and say why they cannot);
/// a developer's `swift test` runs SQLite alone, saying so.
public enum Engine: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static let clusterVariable = "YIMA_TEST_POSTGRES"
    public static let cluster = ProcessInfo.processInfo.environment[clusterVariable]

    public static let all: [Engine] = {
        if cluster != nil || ProcessInfo.processInfo.environment["CI"] == "true" { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("""
            note: \(clusterVariable) is not set, so the store tests run on SQLite only; \
            `make test` (or scripts/with-postgres.sh swift test) runs them on PostgreSQL too.\n
            """.utf8))
        return [.sqlite]
    }()

    public static let postgresOnly: [Engine] = all.filter { $0 == .postgres }

    public var description: String { rawValue }

    /// A new, empty database for a test of this engine: nil for SQLite (the data
    /// folder's file), else a database of its own in the test cluster, by URL.
    public func newDatabase() throws -> String? {
        self == .postgres ? try PostgresCluster.newDatabase() : nil
    }
}

/// The throwaway cluster of `make test`.
public enum PostgresCluster {
    /// A new database in the cluster, by URL.
    public static func newDatabase() throws -> String {
        guard let admin = Engine.cluster else {
            throw LocalServerError(message: """
                \(Engine.clusterVariable) is not set: run the tests with `make test`, which starts a throwaway \
                PostgreSQL cluster (scripts/with-postgres.sh)
                """)
        }
        let name = "yima_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw LocalServerError(message: "CREATE DATABASE: \(created.stderr)") }
        return url(admin, database: name)
    }

    /// `admin` with its database replaced by `database`.
    public static func url(_ admin: String, database: String) -> String {
        var components = URLComponents(string: admin)!
        components.path = "/" + database
        return components.string!
    }
}
