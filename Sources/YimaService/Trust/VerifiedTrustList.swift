import YimaCodes
import YimaCrypto
import YimaRecords

/// A trust list whose signatures and expiry were checked (docs/trust-list.md §3): the
/// key registry it rebuilds and the recall notices it carries.
public struct VerifiedTrustList: Sendable {
    /// How far a list's `issued` time may be ahead of the verifier's clock (as
    /// `ServiceClock.skew` for signed event times): 5 minutes.
    public static let clockSkew: Duration = .seconds(300)

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
            throw .rejected(.notAuthority, .trustListNotAuthority, ["key": envelope.keyID])
        }
        do { try envelope.requireValid(with: authority) } catch { throw .envelope(error) }
        let list: TrustList
        do { list = try TrustList(payload: envelope.payload) } catch { throw .record(error) }
        guard list.issued.instant <= now.adding(Self.clockSkew) else {
            throw .rejected(.issuedInFuture, .trustListInFuture,
                            ["version": list.version, "issued": list.issued, "now": ServiceClock.timestamp(now),
                             "minutes": Self.clockSkew.components.seconds / 60])
        }
        guard now < list.expires.instant else {
            throw .rejected(.expired, .trustListExpired, ["version": list.version, "issued": list.issued, "expires": list.expires])
        }
        var registry = KeyRegistry()
        for (index, item) in list.registry.enumerated() {
            guard let signer = authorities.first(where: { $0.id == item.keyID }) else {
                throw .rejected(.notAuthority, .registryItemNotAuthority, ["index": index, "key": item.keyID])
            }
            do {
                try item.requireValid(with: signer)
                try registry.apply(try Record(payload: item.payload))
            } catch let problem as KeyRegistry.Problem {
                throw .rejected(.unknownKey) {
                    ServiceMessage.registryItemProblem.text(in: $0, ["index": index, "reason": $0 == .chinese ? problem.zh : problem.en])
                }
            } catch {
                throw .input { ServiceMessage.registryItemProblem.text(in: $0, ["index": index, "reason": ServiceError.wrap(error).message(in: $0)]) }
            }
        }
        var recalls: [RecallNotice] = []
        for (index, item) in list.recalls.enumerated() {
            let problem: (en: String, zh: String)
            do {
                guard let key = registry.keys[item.keyID]?.key.key else {
                    throw ServiceError.rejected(.unknownKey, .recallSignerUnknown, ["key": item.keyID])
                }
                try item.requireValid(with: key)
                guard case .event(let event) = try Record(payload: item.payload),
                      let notice = RecallNotice(event, recordID: item.recordID) else {
                    throw ServiceError.input(.notRecallEvent)
                }
                recalls.append(notice)
                continue
            } catch {
                let wrapped = ServiceError.wrap(error)
                problem = (wrapped.message(in: .english), wrapped.message(in: .chinese))
            }
            throw .input { ServiceMessage.recallItemProblem.text(in: $0, ["index": index, "reason": $0 == .chinese ? problem.zh : problem.en]) }
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
