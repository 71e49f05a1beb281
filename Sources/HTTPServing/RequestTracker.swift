import NIOCore
import NIOHTTP1

/// Right after NIO's HTTP/1 decoder: tells `ConnectionGuard` where each request and answer begins and
/// ends, and puts right what the layers above leave to the client's guesswork.
///
/// - HTTP/1.0 and `Connection: close`: a request that does not keep the connection alive is passed on
///   with exactly `Connection: close` (the spelling Hummingbird checks before closing), and its answer
///   says `Connection: close`; an HTTP/1.0 request that asks for keep-alive gets `Connection: keep-alive`,
///   without which HTTP/1.0 clients wait for a close.
/// - `Expect: 100-continue`: answered with `100 Continue` when the declared body fits, so clients do not
///   stall before sending it; a body over the cap gets no interim answer and the connection closes after
///   the application's 413 instead of waiting for a body the client will not send.
/// - A head the decoder refuses gets the JSON error shape with its proper status (414 for a long request
///   line, 431 for too many or too large fields, 501 for an unknown method, 400 otherwise) instead of an
///   empty 400; `CONNECT` gets 405 (there is no tunnel here).
final class RequestTracker: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connectionGuard: ConnectionGuard
    private let maxBodyBytes: Int
    /// The `Connection` value each owed answer must carry (nil: none), in request order.
    private var connectionHeaders: [String?] = []
    /// The answer being written closes the connection once written.
    private var closeAfterAnswer = false

    init(connectionGuard: ConnectionGuard, maxBodyBytes: Int) {
        self.connectionGuard = connectionGuard
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            connectionGuard.headReceived()
            if head.method == .CONNECT {
                connectionGuard.refuse(status: 405, code: "method_not_allowed", message: "CONNECT is not supported: this server is no proxy")
                return
            }
            let keepAlive = head.isKeepAlive
            if !keepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
            connectionHeaders.append(keepAlive ? (head.version.minor == 0 ? "keep-alive" : nil) : "close")
            if head.version.major == 1, head.version.minor >= 1,
               head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let declared = head.headers.first(name: "content-length").flatMap(Int.init)
                if let declared, declared > maxBodyBytes {
                    // The application refuses it (413) before reading; then the connection closes.
                    head.headers.replaceOrAdd(name: "connection", value: "close")
                    connectionHeaders[connectionHeaders.count - 1] = "close"
                } else if connectionGuard.mayAnswerNow {
                    connectionGuard.writeRaw("HTTP/1.1 100 Continue\r\n\r\n")
                }
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body:
            context.fireChannelRead(data)
        case .end:
            connectionGuard.requestEnded()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            connectionGuard.responseStarted()
            if !connectionHeaders.isEmpty, let value = connectionHeaders.removeFirst() {
                head.headers.replaceOrAdd(name: "connection", value: value)
            }
            // An answer that says it closes the connection does (an application refusing a body it did not
            // read sets it): Hummingbird itself only looks at the request's header.
            closeAfterAnswer = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            if closeAfterAnswer {
                let written = promise ?? context.eventLoop.makePromise()
                let connectionGuard = NIOLoopBound(connectionGuard, eventLoop: context.eventLoop)
                written.futureResult.whenComplete { _ in connectionGuard.value.lingeringClose() }
                context.writeAndFlush(data, promise: written)
            } else {
                context.write(data, promise: promise)
            }
            connectionGuard.responseEnded()
        case .head, .body:
            context.write(data, promise: promise)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Answered here; passed on, Hummingbird would answer an empty 400 of its own.
        switch parserError {
        case .headerOverflow where connectionGuard.requestLineOverflowed:
            connectionGuard.refuse(status: 414, code: "uri_too_long", message: "the request line is too long: send long texts with POST")
        case .headerOverflow:
            connectionGuard.refuse(status: 431, code: "header_fields_too_large",
                                   message: "the request's header fields are too many or too large; send fewer or shorter ones")
        case .invalidMethod:
            connectionGuard.refuse(status: 501, code: "method_not_implemented", message: "the request method is not one this server knows")
        default:
            connectionGuard.refuse(status: 400, code: "bad_request", message: "the request is not valid HTTP/1.1 (\(parserError))")
        }
    }
}
