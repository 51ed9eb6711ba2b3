import HTTPTypes
import NIOCore
import Logging
import NIOHTTPTypes

/// Answers code lookups (GET and HEAD of `/01/{gtin}/10/{lot}/21/{serial}`) in the
/// channel pipeline, on the connection's event loop, without the Swift task, async
/// sequence and async writer Hummingbird spends on every request: the same
/// `Lookup.answer` the router calls, with the same metrics and request log,
/// and the `Date` and `Server` headers Hummingbird adds.
///
/// Everything else goes on to Hummingbird, and so does every request while one
/// passed on is unanswered (HTTP/1.1 answers in request order, RFC 9112 §9.3.2) or
/// while the connection's outbound buffer is full.
final class LookupChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let lookup: Lookup
    let requestLog: RequestLog
    let logger: Logger
    /// A lookup's head, kept until its request ends (a body is read and dropped).
    private var pending: HTTPRequest?
    /// Requests passed on to Hummingbird whose response has not ended.
    private var passedOn = 0
    /// The peer's IP address as text, worked out once per connection.
    private var peer: String??

    init(lookup: Lookup, requestLog: RequestLog, logger: Logger) {
        self.lookup = lookup
        self.requestLog = requestLog
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // A client that does not read its answers makes the channel unwritable:
            // then Hummingbird's way, whose writer waits and stops reading, bounds
            // what is buffered for it.
            if passedOn == 0, context.channel.isWritable, lookup.answersInPipeline(head) {
                pending = head
            } else {
                passedOn += 1
                context.fireChannelRead(data)
            }
        case .body:
            if pending == nil { context.fireChannelRead(data) }
        case .end:
            guard let head = pending else { return context.fireChannelRead(data) }
            pending = nil
            respond(to: head, context: context)
        }
    }

    /// Hummingbird's responses pass here on their way out (one to a request it never
    /// got, a 400 for bytes that do not parse, ends the connection: hence `max`).
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
        context.write(data, promise: promise)
    }

    private func respond(to head: HTTPRequest, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        lookup.metrics.pipelineLookups.increment()
        if peer == nil { peer = .some(context.channel.remoteAddress?.ipAddress) }
        let reply = lookup.answer(head, peer: peer!, head: head.method == .head)
        var fields = reply.headers
        fields[.contentLength] = String(reply.contentLength)
        fields[.date] = HTTPDate.now()
        fields[.server] = TraceServer.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: reply.status, headerFields: fields))), promise: nil)
        for part in reply.body { context.write(wrapOutboundOut(.body(part)), promise: nil) }
        // Flushed at once: parts decoded from bytes buffered earlier may arrive
        // without a read completing after them, so waiting for one could strand the answer.
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        requestLog.finished(method: head.method, path: head.path ?? "/", route: Lookup.codeRoute.description,
                            status: reply.status.code, elapsed: ContinuousClock.now - started, logger: logger)
    }
}
