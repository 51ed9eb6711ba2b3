import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// `yima-bench http-ceiling FILE PORT`: Hummingbird answering every GET with FILE's
/// bytes from memory, set up as `yima serve` is (NIO's event loops as the global
/// executor, HTTP/1.1, loopback). scripts/bench-server.sh measures it in the same run
/// as nginx and the lookup server: the framework's own rate for this body, which no
/// lookup built on it can exceed, so a goal above it is out of reach for our code alone.
func runHTTPCeiling(_ arguments: [String]) async throws {
    guard arguments.count == 2, let port = Int(arguments[1]) else {
        fatalError("usage: yima-bench http-ceiling FILE PORT")
    }
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    let body = ByteBuffer(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: arguments[0]))))
    let router = Router()
    router.get("/**") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "ceiling"))
    try await app.runService()
}
