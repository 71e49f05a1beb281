import NIOCore

/// The first handler of every connection, on its raw bytes: read deadlines, the request line's length,
/// a place in the `ConnectionRegistry`, and refusals written straight to the socket.
///
/// A connection is always in one phase, each with its own deadline:
/// - waiting: no request under way (just opened, or every answer written): closed after the idle timeout;
/// - head: bytes of a request arrived, its head is not complete: 408 and close after the header timeout;
/// - body: the head is complete, the body is not: 408 and close after the body timeout;
/// - handling: the request is read and the application is answering it: no deadline (its own work).
/// `RequestTracker`, after the HTTP decoder, reports heads, ends and answers. Deadlines are checked by
/// one timer per connection that is re-armed only when it fires (see `armTimer`), so a request costs no timer work.
///
/// A refusal (408, 414, 431, 400, 501) is written here, as raw HTTP/1.1, only when no answer is owed or
/// under way on the connection, so it can never land inside another response; otherwise the connection
/// is just closed. Either way nothing more is read from it.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Phase: Equatable {
        case waiting(since: NIODeadline)
        case head(since: NIODeadline)
        case body(since: NIODeadline)
        case handling
    }

    private let limits: ServerLimits
    private let registry: ConnectionRegistry
    private(set) var phase: Phase = .waiting(since: .now())
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var closing = false
    private var quiescing = false
    /// Bytes of the current request line so far, and whether its line feed has arrived.
    private var requestLineBytes = 0
    private var requestLineComplete = false
    /// Requests whose head arrived, answers whose head was written, answers written to their end.
    private var requestsReceived = 0
    private var responsesStarted = 0
    private var responsesEnded = 0

    init(limits: ServerLimits, registry: ConnectionRegistry) {
        self.limits = limits
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private var started = false
    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        registry.register(context.channel)
        enter(.waiting(since: .now()))
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.unregister(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }  // refused or timed out: nothing more is read
        let bytes = unwrapInboundIn(data)
        switch phase {
        case .waiting, .handling:
            requestLineBytes = 0
            requestLineComplete = false
            enter(.head(since: .now()))
            countRequestLine(bytes)
        case .head:
            countRequestLine(bytes)
        case .body:
            break
        }
        if case .head = phase, !requestLineComplete, requestLineBytes > limits.maxRequestLineBytes {
            refuse(status: 414, code: "uri_too_long",
                   message: "the request line is longer than \(limits.maxRequestLineBytes) bytes: send long texts with POST")
            return
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if closing, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)  // the client is done: the lingering close ends
            return
        }
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            // Nothing under way that the application knows of: close now rather than at the next timeout.
            if case .waiting = phase, responsesEnded == responsesStarted {
                close()
            } else if case .head = phase, responsesEnded == responsesStarted, responsesStarted == requestsReceived {
                close()
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - What RequestTracker reports

    func headReceived() {
        requestsReceived += 1
        enter(.body(since: .now()))
    }

    func requestEnded() {
        enter(.handling)
    }

    func responseStarted() { responsesStarted += 1 }

    func responseEnded() {
        responsesEnded += 1
        if phase == .handling, responsesEnded == requestsReceived {
            if quiescing { return }  // Hummingbird closes it after this answer
            enter(.waiting(since: .now()))
        }
    }

    /// Whether the request line so far is too long or unfinished: a head that overflowed the decoder's
    /// limits is a 414 then, else a 431.
    var requestLineOverflowed: Bool { !requestLineComplete || requestLineBytes > limits.maxRequestLineBytes }

    /// Whether a response written now would be the next one the client reads: no answer is owed or under
    /// way before the request being read.
    var mayAnswerNow: Bool {
        let reading: Int
        switch phase {
        case .body, .handling: reading = 1
        case .waiting, .head: reading = 0
        }
        return responsesEnded == responsesStarted && responsesStarted == requestsReceived - reading
    }

    /// Writes `bytes` straight to the socket (an interim `100 Continue`).
    func writeRaw(_ text: String) {
        guard let context, !closing else { return }
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text)), promise: nil)
    }

    /// Answers `status` with the JSON error shape and closes, or only closes when an answer is owed.
    func refuse(status: Int, code: String, message: String) {
        guard let context, !closing else { return }
        registry.countRefusedHead()
        guard mayAnswerNow else {
            close()
            return
        }
        closing = true
        timer?.cancel()
        timer = nil
        let body = JSONErrorBody.bytes(code: code, message: message)
        var buffer = context.channel.allocator.buffer(capacity: body.count + 160)
        buffer.writeString("HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\n")
        buffer.writeString("Content-Length: \(body.count)\r\nConnection: close\r\n\r\n")
        buffer.writeBytes(body)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in loopBound.value.lingeringClose() }
    }

    /// How long a connection that was answered and is being closed still reads (and drops) what the client
    /// sends: closing with unread bytes makes the kernel reset the connection, and the client may then
    /// lose the answer before reading it (Apache's lingering close waits 2 s too).
    static let lingerTime: TimeAmount = .seconds(2)

    /// After a last answer: no more writes, the rest of the request dropped until the client closes its
    /// side or `lingerTime` passes, then closed.
    func lingeringClose() {
        guard let context else { return }
        closing = true
        timer?.cancel()
        timer = nil
        let channel = context.channel
        channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
        context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
    }

    /// Closes the connection and reads nothing more from it.
    func close() {
        guard let context, !closing else { return }
        closing = true
        timer?.cancel()
        timer = nil
        context.close(promise: nil)
    }

    // MARK: - Phases and the deadline

    private func enter(_ next: Phase) {
        let wasWaiting: Bool
        if case .waiting = phase { wasWaiting = true } else { wasWaiting = false }
        phase = next
        let isWaiting: Bool
        if case .waiting = next { isWaiting = true } else { isWaiting = false }
        if wasWaiting != isWaiting, let channel = context?.channel { registry.setIdle(channel, isWaiting) }
        armTimer()
    }

    /// When the current phase runs out; nil while the application answers.
    private var deadline: NIODeadline? {
        switch phase {
        case .waiting(let since): return since + TimeAmount(limits.idleTimeout)
        case .head(let since): return since + TimeAmount(limits.headerTimeout)
        case .body(let since): return since + TimeAmount(limits.bodyTimeout)
        case .handling: return nil
        }
    }

    /// The timer is armed for the deadline, or sooner: for the start of the phase plus the shortest of the
    /// timeouts. Any later phase starts no earlier and lasts no shorter, so its deadline is never before
    /// the armed time and phase changes never need to move the timer. Once that earlier moment has passed
    /// (the timer fired and the phase has longer to run), it is armed for the deadline itself: arming it
    /// for a moment already past made it fire again at once, a busy loop for the rest of the phase.
    private func armTimer() {
        guard timer == nil, !closing, let context, let deadline else { return }
        let shortest = TimeAmount(min(limits.idleTimeout, limits.headerTimeout, limits.bodyTimeout))
        let start: NIODeadline
        switch phase {
        case .waiting(let since), .head(let since), .body(let since): start = since
        case .handling: return
        }
        let early = start + shortest
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: early > .now() ? min(deadline, early) : deadline) { loopBound.value.timerFired() }
    }

    private func timerFired() {
        timer = nil
        guard !closing, let deadline else { return }
        guard NIODeadline.now() >= deadline else {
            armTimer()  // the phase changed since it was armed: wait for the new deadline
            return
        }
        registry.countTimeout()
        switch phase {
        case .waiting:
            close()
        case .head:
            refuse(status: 408, code: "request_timeout",
                   message: "the request head did not arrive within \(Self.seconds(limits.headerTimeout)); send the whole head at once")
        case .body:
            refuse(status: 408, code: "request_timeout",
                   message: "the request body did not arrive within \(Self.seconds(limits.bodyTimeout)); send it at once, or less of it")
        case .handling:
            break
        }
    }

    private func countRequestLine(_ bytes: ByteBuffer) {
        var rest = bytes.readableBytesView[...]
        while !requestLineComplete, let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            requestLineBytes += newline - rest.startIndex
            // Empty lines before a request line are allowed (RFC 9112 2.2) and end nothing.
            if requestLineBytes > 1 { requestLineComplete = true } else { requestLineBytes = 0 }
            rest = rest[(newline + 1)...]
        }
        if !requestLineComplete { requestLineBytes += rest.count }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 431: return "Request Header Fields Too Large"
        case 501: return "Not Implemented"
        default: return "Error"
        }
    }
}
