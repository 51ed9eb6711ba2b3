import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import YimaLedger
import YimaService

/// The transparency log as static C2SP tlog-tiles (docs/api.md §Transparency log):
/// `/checkpoint`, `/tile/<L>/<N>[.p/<W>]` and `/tile/entries/<N>[.p/<W>]`. Every
/// response is a pure function of its URL except the checkpoint, so a CDN can
/// cache full tiles forever.
struct LogRoutes: Sendable {
    static let immutable = "public, max-age=31536000, immutable"
    static let shortLived = "public, max-age=10"

    let transparency: Transparency
    /// Signs checkpoints; nil: `/checkpoint` is 404.
    let publisher: LogPublisher?
    let logger: Logger

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/checkpoint") { _, _ in try checkpoint() }
        router.get("/tile/**") { request, _ in try tile(request.uri.path) }
    }

    func checkpoint() throws -> Response {
        guard let publisher else { throw APIError.notFound }
        let note: String
        do { note = try publisher.checkpoint(of: transparency) } catch {
            logger.error("cannot sign a checkpoint", metadata: ["error": "\(error)"])
            throw APIError.unavailable
        }
        return JSONResponse.bytes(.ok, Array(note.utf8), type: "text/plain; charset=utf-8",
                                  headers: [.cacheControl: Self.shortLived])
    }

    func tile(_ path: String) throws -> Response {
        let tile: Tile
        do { tile = try Tile(path: path.dropFirst()) } catch {
            throw APIError(.badRequest, "bad-tile", .badTile, ["reason": error])
        }
        let bytes: [UInt8]
        do { bytes = try transparency.tileData(tile) } catch ServiceError.notFound(let en, let zh) {
            throw APIError(.notFound, "not-found", zh: zh, en: en)
        } catch {
            logger.error("tile failed", metadata: ["tile": "\(tile)", "error": "\(error)"])
            throw APIError.unavailable
        }
        return JSONResponse.bytes(.ok, bytes, type: "application/octet-stream",
                                  headers: [.cacheControl: tile.isPartial ? Self.shortLived : Self.immutable])
    }
}
