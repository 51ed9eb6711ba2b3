import Dispatch
import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// `yima-bench http-ceiling FILE PORT`: Hummingbird answering every GET with FILE's
/// bytes from memory, set up as `yima serve` is (NIO's event loops as the global
/// executor, HTTP/1.1, loopback). scripts/bench-server.sh measures it in the same run
/// as nginx and the lookup server: the framework's own rate for this body, which no
/// lookup built on it can exceed, so a goal above it is out of reach for our code alone.
///
/// It blocks the calling thread rather than being awaited from main: a top-level `await`
/// makes main async, which parks the main thread in libdispatch's signal thread
/// (sigsuspend), and valgrind 3.19 dies on that, for every command of this program
/// (docs/benchmarks.md §Instruction counts).
func serveHTTPCeiling(_ arguments: [String]) {
    guard arguments.count == 2, let port = Int(arguments[1]) else {
        fatalError("usage: yima-bench http-ceiling FILE PORT")
    }
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    let served = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await runHTTPCeiling(file: arguments[0], port: port) } catch { fatalError("yima-bench: \(error)") }
        served.signal()
    }
    served.wait()
}

private func runHTTPCeiling(file: String, port: Int) async throws {
    let body = ByteBuffer(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
    let router = Router()
    router.get("/**") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "ceiling"))
    try await app.runService()
}
