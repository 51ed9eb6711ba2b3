import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
import YimaStore

/// Synchronous access to PostgreSQL for the synchronous store protocols.
///
/// The store protocols are synchronous and their callers may be SwiftNIO event loops
/// (the server's), where `EventLoopFuture.wait()` traps. So the connections live on
/// an event loop group of their own, and a caller blocks on a semaphore until its
/// query's future completes there. The cost: the calling thread is parked for a
/// round trip per statement (on a server event loop this stalls that loop's other
/// connections meanwhile, as the embedded SQLite store's disk reads already do), and
/// one more thread per store. What it buys: no deadlock whichever thread calls, since
/// the store never needs the caller's loop or Swift's cooperative pool to make progress.
final class BlockingConnections: @unchecked Sendable {
    let url: DatabaseURL
    private let group: MultiThreadedEventLoopGroup
    private let logger = Logger(label: "yima.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private var closed = false
    let limit: Int

    init(url: DatabaseURL, limit: Int) {
        self.url = url
        self.limit = limit
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Runs `body` with a connection of its own; waits while all `limit` are in use.
    /// A connection that failed underneath is dropped, so the next call opens a new one
    /// (the pool heals by itself when the database comes back).
    func with<T>(_ body: (Session) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(Session(connection: connection, logger: logger))
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while idle.isEmpty && open >= limit && !closed { condition.wait() }
        if closed { condition.unlock(); throw StoreError.unavailable("\(url): the store is closed") }
        // A connection the server ended while it sat idle (a restart, a failover) is
        // dropped here rather than failing the caller's first statement.
        while let connection = idle.popLast() {
            if !connection.isClosed { condition.unlock(); return connection }
            open -= 1
        }
        open += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try Self.block(PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger))
        } catch {
            condition.lock(); open -= 1; condition.signal(); condition.unlock()
            throw StoreError.unavailable("\(url): \(PostgresFailure.describe(error))")
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed || closed {
            open -= 1
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
    }

    private var configuration: PostgresConnection.Configuration {
        var configuration = if let directory = url.socketDirectory {
            PostgresConnection.Configuration(unixSocketPath: "\(directory)/.s.PGSQL.\(url.port)", username: url.user,
                                             password: url.password, database: url.database)
        } else {
            PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                             database: url.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Closes every connection and stops the store's event loop; calls after this fail.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle = []
        condition.broadcast()
        condition.unlock()
        for connection in connections { try? Self.block(connection.close()) }
        group.shutdownGracefully { _ in }
    }

    /// Waits for `future` by parking this thread, which must not be the future's own
    /// loop (the store's loops run nothing but its connections, so it never is).
    /// With `connection`, a close of that connection ends the wait too: postgres-nio
    /// never completes a query written to a channel that has just closed.
    static func block<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection? = nil) throws -> T {
        precondition(!future.eventLoop.inEventLoop, "blocking the store's own event loop")
        let done = DispatchSemaphore(value: 0)
        let outcome = NIOLockedValueBox<Result<T, any Error>?>(nil)
        func finish(_ result: Result<T, any Error>) {
            let first = outcome.withLockedValue { value in
                guard value == nil else { return false }
                value = result
                return true
            }
            if first { done.signal() }
        }
        future.whenComplete(finish)
        connection?.closeFuture.whenComplete { _ in finish(.failure(ConnectionLost())) }
        done.wait()
        return try outcome.withLockedValue { $0! }.get()
    }
}

/// The connection closed while a statement was on its way or waiting for its answer.
struct ConnectionLost: Error {}

/// One checked-out connection: statements run one after another, each blocking.
struct Session {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `query` and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try BlockingConnections.block(connection.query(query, logger: logger), on: connection).rows
    }

    /// Runs `query` and returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        let result = try BlockingConnections.block(connection.query(query, logger: logger), on: connection)
        return result.metadata.rows ?? 0
    }

    /// `body` in one transaction: committed if it returns, rolled back if it throws.
    /// A connection lost mid-way leaves nothing behind either: the server rolls back
    /// every transaction whose connection ends before COMMIT.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            if (try? execute("ROLLBACK")) == nil { try? BlockingConnections.block(connection.close()) }
            throw error
        }
        try execute("COMMIT")
        return value
    }
}
