import Foundation
import GRDB

/// Registration requests and request nonces in SQLite (tables of migration v7).
extension SQLiteStore: RegistrationStore, RequestNonceStore {
    public func addRegistration(_ registration: StoredRegistration, maximumPending: Int) throws(StoreError) {
        try transaction { db in
            let conflicts: [(StoredRegistration.Conflict, String, String)] = [
                (.creditCode, "credit_code", registration.creditCode), (.partyID, "party_id", registration.partyID),
                (.keyID, "key_id", registration.keyID),
            ]
            for (conflict, column, value) in conflicts {
                if let id = try String.fetchOne(db, sql: "SELECT id FROM registrations WHERE status = 'pending' AND \(column) = ?",
                                                arguments: [value]) {
                    throw StoreError.pendingRegistration(conflict, id: id)
                }
            }
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM registrations WHERE status = 'pending'") ?? 0
            guard pending < maximumPending else { throw StoreError.registrationQueueFull(maximumPending) }
            try db.execute(sql: """
                INSERT INTO registrations (id, party_id, name, credit_code, key_id, envelope, received_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')
                """, arguments: [registration.id, registration.partyID, registration.name, registration.creditCode,
                                 registration.keyID, Data(registration.envelope), registration.receivedAt])
        }
    }

    public func registration(id: String) throws(StoreError) -> StoredRegistration? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM registrations WHERE id = ?", arguments: [id]).map(Self.registration) }
    }

    public func registrations(status: StoredRegistration.Status) throws(StoreError) -> [StoredRegistration] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM registrations WHERE status = ? ORDER BY received_at, id",
                             arguments: [status.rawValue]).map(Self.registration)
        }
    }

    public func decideRegistration(id: String, status: StoredRegistration.Status, at time: Int64,
                                   reason: String?, record: String?) throws(StoreError) {
        try transaction { db in
            try db.execute(sql: """
                UPDATE registrations SET status = ?, decided_at = ?, reason = ?, record = ? WHERE id = ? AND status = 'pending'
                """, arguments: [status.rawValue, time, reason, record, id])
            guard db.changesCount == 1 else { throw StoreError.registrationNotPending(id: id) }
        }
    }

    public func useNonce(keyID: String, nonce: String, now: Int64, expiresAt: Int64) throws(StoreError) -> Bool {
        try transaction { db in
            try db.execute(sql: "DELETE FROM request_nonces WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [keyID, nonce, expiresAt])
            return db.changesCount == 1
        }
    }

    static func registration(_ row: Row) -> StoredRegistration {
        StoredRegistration(id: row["id"], partyID: row["party_id"], name: row["name"], creditCode: row["credit_code"],
                           keyID: row["key_id"], envelope: Array(row["envelope"] as Data), receivedAt: row["received_at"],
                           status: StoredRegistration.Status(rawValue: row["status"]) ?? .pending,
                           decidedAt: row["decided_at"], reason: row["reason"], record: row["record"])
    }

    /// One write transaction; `StoreError`s thrown inside pass through.
    private func transaction<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(Self.message(error))
        }
    }
}
