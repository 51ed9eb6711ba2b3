import Hummingbird
import NIOCore

/// Reads a request's body, refusing more than `limit` bytes (413), bodies that
/// arrive too slowly (408) and bodies whose framing breaks off (400: a chunk shorter
/// than its declared size, found by the `http` fuzz target).
struct RequestBody: Sendable {
    let limit: Int
    let timeout: Duration

    func collect(_ request: Request) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.bodyTooLarge(limit)
        }
        let (limit, timeout, body) = (limit, timeout, request.body)
        let buffer: ByteBuffer
        do {
            buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else {
                    throw APIError(.requestTimeout, "timeout", .bodyTimeout)
                }
                return buffer
            }
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit)
        } catch let error as APIError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError(.badRequest, "malformed-body", .malformedBody)
        }
        return Array(buffer.readableBytesView)
    }
}
