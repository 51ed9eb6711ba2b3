import Foundation
import PostgresNIO
import YimaStore

/// Registration requests and request nonces (migration 2), as SQLite keeps them.
extension PostgresStore: RegistrationStore, RequestNonceStore {
    public func addRegistration(_ registration: StoredRegistration, maximumPending: Int) throws(StoreError) {
        try read { session in
            try session.transaction {
                try session.execute("SELECT pg_advisory_xact_lock(\(Self.registrationLock))")
                let conflicts: [(StoredRegistration.Conflict, PostgresQuery)] = [
                    (.creditCode, "SELECT id FROM registrations WHERE status = 'pending' AND credit_code = \(registration.creditCode)"),
                    (.partyID, "SELECT id FROM registrations WHERE status = 'pending' AND party_id = \(registration.partyID)"),
                    (.keyID, "SELECT id FROM registrations WHERE status = 'pending' AND key_id = \(registration.keyID)"),
                ]
                for (conflict, query) in conflicts {
                    if let id = try session.rows(query).first?.decode(String.self) {
                        throw StoreError.pendingRegistration(conflict, id: id)
                    }
                }
                let pending = try session.rows("SELECT count(*) FROM registrations WHERE status = 'pending'").first?.decode(Int64.self) ?? 0
                guard pending < maximumPending else { throw StoreError.registrationQueueFull(maximumPending) }
                try session.execute("""
                    INSERT INTO registrations (id, party_id, name, credit_code, key_id, envelope, received_at, status)
                    VALUES (\(registration.id), \(registration.partyID), \(registration.name), \(registration.creditCode),
                            \(registration.keyID), \(ByteBuffer(bytes: registration.envelope)), \(registration.receivedAt), 'pending')
                    """)
            }
        }
    }

    public func registration(id: String) throws(StoreError) -> StoredRegistration? {
        try read { session in
            try session.rows("\(unescaped: Self.registrationColumns) WHERE id = \(id)").first.map(Self.registration)
        }
    }

    public func registrations(status: StoredRegistration.Status) throws(StoreError) -> [StoredRegistration] {
        try read { session in
            try session.rows("\(unescaped: Self.registrationColumns) WHERE status = \(status.rawValue) ORDER BY received_at, id")
                .map(Self.registration)
        }
    }

    public func decideRegistration(id: String, status: StoredRegistration.Status, at time: Int64,
                                   reason: String?, record: String?) throws(StoreError) {
        try read { session in
            let changed = try session.execute("""
                UPDATE registrations SET status = \(status.rawValue), decided_at = \(time), reason = \(reason), record = \(record)
                WHERE id = \(id) AND status = 'pending'
                """)
            guard changed == 1 else { throw StoreError.registrationNotPending(id: id) }
        }
    }

    public func useNonce(keyID: String, nonce: String, now: Int64, expiresAt: Int64) throws(StoreError) -> Bool {
        try read { session in
            try session.transaction {
                try session.execute("DELETE FROM request_nonces WHERE expires_at < \(now)")
                return try session.execute("""
                    INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES (\(keyID), \(nonce), \(expiresAt))
                    ON CONFLICT DO NOTHING
                    """) == 1
            }
        }
    }

    static let registrationColumns = """
        SELECT id, party_id, name, credit_code, key_id, envelope, received_at, status, decided_at, reason, record FROM registrations
        """

    static func registration(_ row: PostgresRow) throws -> StoredRegistration {
        let (id, party, name, code, key, envelope, received, status, decided, reason, record) =
            try row.decode((String, String, String, String, String, ByteBuffer, Int64, String, Int64?, String?, String?).self)
        return StoredRegistration(id: id, partyID: party, name: name, creditCode: code, keyID: key,
                                  envelope: Array(envelope.readableBytesView), receivedAt: received,
                                  status: StoredRegistration.Status(rawValue: status) ?? .pending,
                                  decidedAt: decided, reason: reason, record: record)
    }
}
