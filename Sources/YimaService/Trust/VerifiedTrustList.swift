import YimaCodes
import YimaCrypto
import YimaRecords

/// A trust list whose signatures and expiry were checked (docs/trust-list.md §3): the
/// key registry it rebuilds and the recall notices it carries.
public struct VerifiedTrustList: Sendable {
    public let list: TrustList
    /// The authority key that signed the list.
    public let authority: PublicKey
    public let registry: KeyRegistry
    public let recalls: [RecallNotice]

    /// Checks a trust list file's bytes with the authority keys the verifier trusts,
    /// at time `now`. Every failure names its reason; nothing is half-loaded.
    public init(encoded bytes: [UInt8], authorities: [PublicKey], now: Instant) throws(ServiceError) {
        let envelope: Envelope
        do { envelope = try Envelope(encoded: bytes) } catch { throw .envelope(error) }
        guard let authority = authorities.first(where: { $0.id == envelope.keyID }) else {
            throw .rejected(.notAuthority, "the trust list is signed by key \(envelope.keyID), which is not a trusted authority key",
                            zh: "信任列表由密钥 \(envelope.keyID) 签名，它不是受信任的监管部门密钥")
        }
        do { try envelope.requireValid(with: authority) } catch { throw .envelope(error) }
        let list: TrustList
        do { list = try TrustList(payload: envelope.payload) } catch { throw .record(error) }
        guard now < list.expires.instant else {
            throw .rejected(.expired, "the trust list (version \(list.version), issued \(list.issued)) expired at \(list.expires); get a new one with `yima trust export`",
                            zh: "信任列表（版本 \(list.version)，\(list.issued) 签发）已于 \(list.expires) 过期，请用 yima trust export 获取新列表")
        }
        var registry = KeyRegistry()
        for (index, item) in list.registry.enumerated() {
            guard let signer = authorities.first(where: { $0.id == item.keyID }) else {
                throw .rejected(.notAuthority, "registry[\(index)] is signed by \(item.keyID), not an authority key",
                                zh: "registry[\(index)] 由 \(item.keyID) 签名，不是监管部门密钥")
            }
            do {
                try item.requireValid(with: signer)
                try registry.apply(try Record(payload: item.payload))
            } catch let problem as KeyRegistry.Problem {
                throw .rejected(.unknownKey, "registry[\(index)]: \(problem.en)", zh: "registry[\(index)]：\(problem.zh)")
            } catch {
                throw .input("registry[\(index)]: \(ServiceError.wrap(error).message(in: .english))",
                             zh: "registry[\(index)]：\(ServiceError.wrap(error).message(in: .chinese))")
            }
        }
        var recalls: [RecallNotice] = []
        for (index, item) in list.recalls.enumerated() {
            let problem: (en: String, zh: String)
            do {
                guard let key = registry.keys[item.keyID]?.key.key else {
                    throw ServiceError.rejected(.unknownKey, "signer key \(item.keyID) is not registered", zh: "签名密钥 \(item.keyID) 未登记")
                }
                try item.requireValid(with: key)
                guard case .event(let event) = try Record(payload: item.payload),
                      let notice = RecallNotice(event, recordID: item.recordID) else {
                    throw ServiceError.input("not a recall event", zh: "不是召回事件")
                }
                recalls.append(notice)
                continue
            } catch {
                let wrapped = ServiceError.wrap(error)
                problem = (wrapped.message(in: .english), wrapped.message(in: .chinese))
            }
            throw .input("recalls[\(index)]: \(problem.en)", zh: "recalls[\(index)]：\(problem.zh)")
        }
        self.list = list
        self.authority = authority
        self.registry = registry
        self.recalls = recalls
    }

    /// Every key the list registers, for checking code signatures.
    public var trustedKeys: TrustedKeys { TrustedKeys(registry.keys.values.map(\.key.key)) }

    /// The notice recalling this unit, if any (the latest).
    public func recall(gtin: String, lot: String, serial: String) -> RecallNotice? {
        recalls.last { $0.covers(gtin: gtin, lot: lot, serial: serial) }
    }
}
