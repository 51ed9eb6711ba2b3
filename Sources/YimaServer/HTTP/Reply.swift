import HTTPTypes
import Hummingbird
import NIOCore
import YimaRecords

/// A whole answer in memory: what the lookup path returns, so that both the router
/// and `LookupChannelHandler` can send it.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    /// The body in parts, sent one after the other as they are (so a part shared by
    /// many answers is never copied).
    var body: [ByteBuffer]

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        self.init(status: status, headers: headers, parts: body.readableBytes > 0 ? [body] : [])
    }

    init(status: HTTPResponse.Status, headers: HTTPFields, parts: [ByteBuffer]) {
        self.status = status
        self.headers = headers
        body = parts
    }

    var contentLength: Int { body.reduce(0) { $0 + $1.readableBytes } }

    var response: Response {
        Response(status: status, headers: headers,
                 body: body.count <= 1 ? .init(byteBuffer: body.first ?? ByteBuffer()) : .init(contentsOf: body))
    }
}

enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        bytes(status, CanonicalJSON.encode(value), headers: headers)
    }

    static func bytes(_ status: HTTPResponse.Status, _ bytes: [UInt8], type: String = "application/json; charset=utf-8",
                      headers: HTTPFields = [:]) -> Response {
        reply(status, bytes, type: type, headers: headers).response
    }

    static func reply(_ status: HTTPResponse.Status, _ bytes: [UInt8], type: String = "application/json; charset=utf-8",
                      headers: HTTPFields = [:]) -> Reply {
        var headers = headers
        headers[.contentType] = type
        return Reply(status: status, headers: headers, body: ByteBuffer(bytes: bytes))
    }
}
