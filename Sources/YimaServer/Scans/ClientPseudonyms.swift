import Synchronization
import YimaService

/// Client pseudonyms (`ServerSecret.clientID`, an HMAC) of recent addresses, kept so
/// that a phone scanning again, or a carrier's NAT address, costs a lookup rather than
/// an HMAC. Bounded: emptied when full.
final class ClientPseudonyms: Sendable {
    let secret: ServerSecret
    private let known = Mutex([String: [UInt8]]())
    private let capacity = 65_536

    init(secret: ServerSecret) { self.secret = secret }

    func clientID(_ address: String) -> [UInt8] {
        if let id = known.withLock({ $0[address] }) { return id }
        let id = secret.clientID(address)
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[address] = id
        }
        return id
    }
}
