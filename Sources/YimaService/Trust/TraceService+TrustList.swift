import YimaCodes
import YimaCrypto
import YimaRecords
import YimaStore

extension TraceService {
    /// Signs a trust list of the store's registry and recalls with an authority key,
    /// valid for `validity` from now (docs/trust-list.md §3).
    public func exportTrustList(signedWith key: PrivateKey, validity: Duration) throws(ServiceError) -> Envelope {
        guard authorities.contains(where: { $0.id == key.id }) else {
            throw .rejected(.notAuthority, "key \(key.id) is not an authority key of this data folder",
                            zh: "密钥 \(key.id) 不是本数据目录的监管部门密钥")
        }
        guard validity > .zero else {
            throw .invalidArgument("the validity must be positive", zh: "有效期必须大于 0")
        }
        let (registry, recalls, size) = try lookup {
            let registry = (try store.records(kind: .party) + store.records(kind: .key)).sorted { $0.sequence < $1.sequence }
            return (registry, try store.notices(type: EventType.recall.rawValue), try store.recordCount())
        }
        let issued = now()
        let list: TrustList
        do {
            list = TrustList(version: size, issued: try Timestamp(Self.timestamp(issued)),
                             expires: try Timestamp(Self.timestamp(issued.adding(validity))),
                             registry: try registry.map { try Envelope(encoded: $0.envelope) },
                             recalls: try recalls.map { try Envelope(encoded: $0.envelope) })
        } catch { throw ServiceError.wrap(error) }
        do { return try Envelope.sign(payload: list.payload, with: key) } catch { throw .envelope(error) }
    }
}
