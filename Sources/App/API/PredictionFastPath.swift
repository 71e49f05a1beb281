import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// Answers `POST /v1/predict` on the connection's event loop, as soon as the request is decoded, instead
/// of converting it to Hummingbird's request types and handing it to the router's task and back.
///
/// A prediction takes a few microseconds, and the conversions and the hops to a task and back took more
/// than the prediction: under wrk here, a prediction request costs the server 39-61 us of CPU on
/// this path against 66-86 us through the router. The handler sits right
/// after NIO's HTTP/1 decoder, before Hummingbird's codec, and answers the way the router would: the same
/// body (`PredictionEndpoint.answer`), `X-Request-ID`, `Date`, `Server`, the request metrics and the
/// request log.
///
/// Everything else goes on to the router untouched, and so does a prediction request that is not plainly
/// answerable here: any refusal (bad JSON, a limit, a body over the cap), work that could hold up the
/// event loop's other connections (a body over 8 KiB, more than 32 texts, `explain`), a channel that
/// cannot take more writes now, a connection that is not kept
/// alive (`Connection: close`, HTTP/1.0), `Expect`, or a request that arrives while the router still owes
/// this connection a response (pipelined requests are answered in order). A refused request is replayed to
/// the router as it came, which words the error exactly as for any other route; nothing was predicted,
/// counted or logged before the refusal.
///
/// Graceful shutdown: the quiesce event, on which Hummingbird closes a connection it sees idle, is held
/// while a prediction request is being read here, or while answers written here still wait in NIO's
/// buffer, and passed on once they are written; after it, every request goes to the router, which closes
/// the connection after answering.
///
/// Backpressure: nothing more is read while the channel is not writable, so a client that sends
/// predictions without reading the answers cannot make them pile up in memory.
final class PredictionFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The route this handler answers, as the router and the metrics name it.
    static let route = "/v1/predict"

    private enum State {
        case idle
        /// A prediction request being read: its head, the body so far, and when its head arrived.
        case collecting(head: HTTPRequestHead, body: ByteBuffer?, started: ContinuousClock.Instant)
        /// The rest of a request that went on to the router.
        case passing
    }

    /// Largest body answered here. The event loop also reads and writes every other connection it
    /// serves, so a request that may take long goes to the router's task instead; a single sentence is a
    /// few hundred bytes. With `maxTexts` and no `explain`, the slowest requests answered here measured
    /// 0.5-1.6 ms per round trip (median; 4,000 Cyrillic characters the slowest), one sentence 0.2 ms.
    static let maxBodyBytes = 8 * 1024
    /// Most texts in a batch answered here.
    static let maxTexts = 32
    /// How long a held quiesce event waits for answers a client does not read before it goes on anyway
    /// (Hummingbird then closes the connection, as it would have at once).
    static let quiesceHoldLimit: TimeAmount = .seconds(10)

    private let endpoint: PredictionEndpoint
    private let bodyLimit: Int
    private let serverName: String?
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

    init(endpoint: PredictionEndpoint, serverName: String?) {
        self.endpoint = endpoint
        self.serverName = serverName
        bodyLimit = min(Self.maxBodyBytes, endpoint.configuration.maxBodyBytes)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
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
            if !answer(head: head, body: body, started: started, context: context) {
                passOn(head: head, body: body, context: context)
                context.fireChannelRead(wrapInboundOut(.end(trailers)))
                state = .idle  // the replayed request is whole: the next one may be answered here
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), owedByRouter > 0 { owedByRouter -= 1 }
        context.write(data, promise: promise)
    }

    /// Backpressure (see above): answers are written here, not by the router's writer, which waits for
    /// the channel to be writable.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readHeld, context.channel.isWritable {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
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

    /// A prediction request this handler may answer itself; the router takes everything else.
    private func takes(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .POST, head.uri == Self.route, head.version == .http1_1 else { return false }
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

    /// Writes the 200 answer; false when the request is refused (then nothing was written or recorded).
    private func answer(head: HTTPRequestHead, body: ByteBuffer?, started: ContinuousClock.Instant, context: ChannelHandlerContext) -> Bool {
        // As the router reads it: repeated fields are joined with ", ", which no acceptable id contains.
        let offered = head.headers[RequestIDMiddleware.headerName.rawName]
        let requestID = RequestIDMiddleware.id(offered: offered.isEmpty ? nil : offered.joined(separator: ", "))
        let answer: [UInt8]
        do {
            let request = try (body ?? ByteBuffer()).withUnsafeReadableBytes { raw throws(APIError) in try PredictRequest.parse(raw) }
            guard request.explain != true, (request.texts?.count ?? 1) <= Self.maxTexts else { return false }
            answer = try endpoint.answer(request, requestID: requestID)
        } catch {
            return false
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(5)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(answer.count))
        headers.add(name: RequestIDMiddleware.headerName.rawName, value: requestID)
        headers.add(name: "Date", value: date.now())
        if let serverName { headers.add(name: "Server", value: serverName) }
        var buffer = context.channel.allocator.buffer(capacity: answer.count)
        buffer.writeBytes(answer)
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
        endpoint.metrics.recordRequest(route: Self.route, status: 200, duration: ContinuousClock.now - started, onEventLoop: true)
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
