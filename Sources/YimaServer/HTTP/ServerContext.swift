import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the peer address, which
/// scan counting and PIN rate limits key on (hashed, never stored raw).
public struct ServerContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var maxUploadSize: Int { 64 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
