import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// What an `EventLoopResponder` answers a request with: a 200 body and its headers besides
/// `Content-Length`, `Date` and `Server`, which the responder writes.
public struct EventLoopAnswer: Sendable {
    public var body: [UInt8]
    public var headers: [(name: String, value: String)]

    public init(body: [UInt8], headers: [(name: String, value: String)]) {
        self.body = body
        self.headers = headers
    }
}

/// Answers one route on the connection's event loop, as soon as the request is decoded, instead of
/// converting it to Hummingbird's request types and handing it to the router's task and back. It knows no
/// application type: the application gives the route (method, path, largest body) and a function from a
/// request's head and body to its answer, or to nil when the router should answer instead.
///
/// A cheap request costs less than the conversions and the hops to a task and back: `intent serve`
/// measured 40-55 us of server CPU per prediction on this path against 85-99 us through the router, and
/// the router alone held 64% of a bare Hummingbird route (`scripts/bench-api.sh`), under the 70% the
/// project asks for, so this path stays. It sits after `RequestTracker` (which keeps the connection's
/// deadlines and its `Connection` header right) and before Hummingbird's codec.
///
/// Everything else goes on to the router untouched, and so does a request on the route that is not plainly
/// answerable here: whatever `answer` declines (a refusal, work that could hold up the event loop's other
/// connections), a body over `maxBodyBytes`, a channel that cannot take more writes now, a connection that
/// is not kept alive (`Connection: close`, HTTP/1.0), `Expect`, or a request that arrives while the router
/// still owes this connection a response (pipelined requests are answered in order). A declined request
/// is replayed to the router as it came; `answer` must have no side effect when it declines.
///
/// Graceful shutdown: the quiesce event, on which Hummingbird closes a connection it sees idle, is held
/// while a request is being read here, or while answers written here still wait in NIO's buffer, and
/// passed on once they are written; after it, every request goes to the router, which closes the
/// connection after answering.
///
/// Backpressure: nothing more is read while the channel is not writable, so a client that sends requests
/// without reading the answers cannot make them pile up in memory.
public final class EventLoopResponder: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart
    public typealias OutboundIn = HTTPServerResponsePart
    public typealias OutboundOut = HTTPServerResponsePart

    /// Decides a request taken here: its answer, or nil to hand it to the router as it came. Called on
    /// the event loop with the request's head, its body (nil when empty) and when its head arrived.
    public typealias Answer = @Sendable (_ head: HTTPRequestHead, _ body: ByteBuffer?, _ started: ContinuousClock.Instant) -> EventLoopAnswer?

    private enum State {
        case idle
        /// A prediction request being read: its head, the body so far, and when its head arrived.
        case collecting(head: HTTPRequestHead, body: ByteBuffer?, started: ContinuousClock.Instant)
        /// The rest of a request that went on to the router.
        case passing
    }

    /// How long a held quiesce event waits for answers a client does not read before it goes on anyway
    /// (Hummingbird then closes the connection, as it would have at once).
    static let quiesceHoldLimit: TimeAmount = .seconds(10)

    private let method: HTTPMethod
    private let path: String
    private let bodyLimit: Int
    private let serverName: String?
    private let answer: Answer
    private var state = State.idle
    /// Requests passed on to the router whose response has not been written yet.
    private var owedByRouter = 0
    /// A read the pipeline asked for while the channel could not take more writes (see `read`).
    private var readHeld = false
    private var quiescing = false
    private var quiesceHeld = false
    /// A request passed on said the connection closes after it: nothing more is answered here.
    private var closing = false
    private var date = HTTPDateCache()

    /// - Parameters:
    ///   - method, path: the route answered here (the exact request target: no query string).
    ///   - maxBodyBytes: the largest body answered here; larger ones go to the router.
    ///   - answer: the answer to a request taken here, or nil to pass it on.
    public init(method: HTTPMethod, path: String, maxBodyBytes: Int, serverName: String?, answer: @escaping Answer) {
        self.method = method
        self.path = path
        self.bodyLimit = maxBodyBytes
        self.serverName = serverName
        self.answer = answer
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if case .idle = state, owedByRouter == 0, !quiescing, !closing, context.channel.isWritable, takes(head) {
                state = .collecting(head: head, body: nil, started: .now)
            } else {
                state = .passing
                owedByRouter += 1
                if !head.isKeepAlive { closing = true }
                context.fireChannelRead(data)
            }
        case .body(var part):
            guard case .collecting(let head, let collected, let started) = state else {
                context.fireChannelRead(data)
                return
            }
            state = .idle  // drops the enum's reference, so appending does not copy the buffer
            var body = part
            if var collected {
                collected.writeBuffer(&part)
                body = collected
            }
            if body.readableBytes > bodyLimit {
                passOn(head: head, body: body, context: context)  // the router answers it, or its 413
            } else {
                state = .collecting(head: head, body: body, started: started)
            }
        case .end(let trailers):
            guard case .collecting(let head, let body, let started) = state else {
                state = .idle
                context.fireChannelRead(data)
                return
            }
            state = .idle
            if !respond(head: head, body: body, started: started, context: context) {
                passOn(head: head, body: body, context: context)
                context.fireChannelRead(wrapInboundOut(.end(trailers)))
                state = .idle  // the replayed request is whole: the next one may be answered here
            }
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), owedByRouter > 0 { owedByRouter -= 1 }
        context.write(data, promise: promise)
    }

    /// Backpressure (see above): answers are written here, not by the router's writer, which waits for
    /// the channel to be writable.
    public func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readHeld, context.channel.isWritable {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            if case .collecting = state {
                quiesceHeld = true  // passed on once the answer is written
                return
            }
            if Self.unsentBytes(context) > 0 {
                // Answers written here may still wait in NIO's buffer, which Hummingbird's connection handler
                // does not know: passed on now, its close would drop them.
                quiesceHeld = true
                releaseQuiesceWhenSent(context: context, deadline: context.eventLoop.now + Self.quiesceHoldLimit)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Bytes written to the channel and not yet handed to the socket.
    private static func unsentBytes(_ context: ChannelHandlerContext) -> Int {
        (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }

    /// Passes the held quiesce event on once every written byte went to the socket, the connection closed,
    /// or `deadline` passed. Polled, every 5 ms: this happens only at shutdown, to a connection whose
    /// client reads slowly.
    private func releaseQuiesceWhenSent(context: ChannelHandlerContext, deadline: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .milliseconds(5)) {
            let (handler, context) = loopBound.value
            if context.channel.isActive, Self.unsentBytes(context) > 0, context.eventLoop.now < deadline {
                handler.releaseQuiesceWhenSent(context: context, deadline: deadline)
            } else {
                handler.releaseQuiesce(context: context)
            }
        }
    }

    /// Passes on a quiesce event held while a request was read here.
    private func releaseQuiesce(context: ChannelHandlerContext) {
        guard quiesceHeld else { return }
        quiesceHeld = false
        context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }

    /// A request this handler may answer itself; the router takes everything else.
    private func takes(_ head: HTTPRequestHead) -> Bool {
        guard head.method == method, head.uri == path, head.version == .http1_1 else { return false }
        let headers = head.headers
        // The router answers `Expect` and upgrades, and closes the connection after `Connection: close`;
        // `Connection: keep-alive` (what many clients send) is taken.
        if headers.contains(name: "expect") || headers.contains(name: "upgrade") { return false }
        if !headers[canonicalForm: "connection"].allSatisfy({ $0.lowercased() == "keep-alive" }) { return false }
        // A large body, and a declared length over the cap (the router's 413 before the body), go on.
        if let declared = headers.first(name: "content-length") {
            guard let length = Int(declared), length <= bodyLimit else { return false }
        }
        return true
    }

    /// Hands a request this handler started reading to the router, as it came.
    private func passOn(head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        state = .passing
        owedByRouter += 1
        context.fireChannelRead(wrapInboundOut(.head(head)))
        if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
        // A quiesce event held while this request was read goes on: the router now has it in progress and
        // closes the connection after answering it.
        releaseQuiesce(context: context)
    }

    /// Writes the 200 answer; false when `answer` declines (then nothing was written).
    private func respond(head: HTTPRequestHead, body: ByteBuffer?, started: ContinuousClock.Instant, context: ChannelHandlerContext) -> Bool {
        guard let answer = answer(head, body, started) else { return false }
        var headers = HTTPHeaders()
        headers.reserveCapacity(answer.headers.count + 3)
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(answer.body.count))
        headers.add(name: "Date", value: date.now())
        if let serverName { headers.add(name: "Server", value: serverName) }
        var buffer = context.channel.allocator.buffer(capacity: answer.body.count)
        buffer.writeBytes(answer.body)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        if quiesceHeld {
            // The connection closes once the answer is out, not before.
            let written = context.eventLoop.makePromise(of: Void.self)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in
                let (handler, context) = loopBound.value
                handler.releaseQuiesce(context: context)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        return true
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted once per second.
struct HTTPDateCache {
    private var second = Int.min
    private var text = ""

    mutating func now() -> String {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let current = Int(clock.tv_sec)
        if current != second {
            second = current
            text = Self.format(epochSeconds: current)
        }
        return text
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for a time in seconds since 1970.
    static func format(epochSeconds: Int) -> String {
        var time = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
