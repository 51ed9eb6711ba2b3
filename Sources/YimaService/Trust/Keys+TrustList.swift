import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

extension Keys {
    /// Signs a trust list of the store's registry and recalls with an authority key,
    /// valid for `validity` from now (docs/trust-list.md §3).
    public func exportTrustList(signedWith key: PrivateKey, validity: Duration) throws(ServiceError) -> Envelope {
        guard registry.authorities.contains(where: { $0.id == key.id }) else {
            throw .rejected(.notAuthority, .notDataAuthority, ["key": key.id])
        }
        guard validity > .zero else {
            throw .invalidArgument(.validityNotPositive)
        }
        let (registryRecords, recalls, size) = try ServiceError.reading {
            (try registry.registryRecords(), try records.notices(type: EventType.recall.rawValue), try records.recordCount())
        }
        let issued = recording.clock.now()
        let list: TrustList
        do {
            list = TrustList(version: size, issued: try Timestamp(ServiceClock.timestamp(issued)),
                             expires: try Timestamp(ServiceClock.timestamp(issued.adding(validity))),
                             registry: try registryRecords.map { try Envelope(encoded: $0.envelope) },
                             recalls: try recalls.map { try Envelope(encoded: $0.envelope) })
        } catch { throw ServiceError.wrap(error) }
        do { return try Envelope.sign(payload: list.payload, with: key) } catch { throw .envelope(error) }
    }
}
