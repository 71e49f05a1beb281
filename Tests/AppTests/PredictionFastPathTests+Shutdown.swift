import Dispatch
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import App
@testable import HTTPServing

extension PredictionFastPathTests {
    /// An embedded pipeline as the server's, less Hummingbird: the response encoder, the fast path, and a
    /// recorder of the quiesce events that get past it.
    static func embedded() throws -> (EmbeddedChannel, QuiesceRecorder) {
        let endpoint = PredictionEndpoint(model: try APIRouterTests.served(), configuration: APIConfiguration(), metrics: APIMetrics(), requestLog: nil,
                                          budgets: APIBudgets(configuration: APIConfiguration()))
        let channel = EmbeddedChannel()
        let recorder = QuiesceRecorder()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(PredictRoute.eventLoopResponder(endpoint: endpoint, serverName: nil))
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()  // active, as a served connection
        return (channel, recorder)
    }

    @Test("shutdown: the quiesce event waits for bytes still in NIO's buffer, then goes on")
    func quiesceWaitsForUnsentBytes() throws {
        let (channel, recorder) = try Self.embedded()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(recorder.quiesced == 1, "nothing unsent: passed on at once")

        let (held, heldRecorder) = try Self.embedded()
        // An answer written and not yet flushed, as when the socket cannot take more.
        let encoder = try held.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        encoder.write(NIOAny(ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")), promise: nil)
        held.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        held.embeddedEventLoop.advanceTime(by: .milliseconds(20))
        #expect(heldRecorder.quiesced == 0, "held while bytes wait")
        held.flush()
        held.embeddedEventLoop.advanceTime(by: .milliseconds(20))
        #expect(heldRecorder.quiesced == 1, "passed on once they are sent")
        _ = try? channel.finish()
        _ = try? held.finish()
    }

    @Test("shutdown: the quiesce event waits for the answer to a request being read")
    func quiesceWaitsForAnswer() throws {
        let (channel, recorder) = try Self.embedded()
        let body = ByteBuffer(string: #"{"text": "play some jazz"}"#)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/predict")
        head.headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(recorder.quiesced == 0, "held while the request is read")
        try channel.writeInbound(HTTPServerRequestPart.body(body))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        var written = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { written.writeBuffer(&part) }
        let response = String(buffer: written)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        let expected = try APIRouterTests.served().current.classifier.predict("play some jazz").intent
        #expect(response.contains(#""intent":"\#(expected)""#), "\(response)")
        #expect(recorder.quiesced == 1, "passed on once the answer is written")
        // After the quiesce event every request goes on to the router, here the recorder.
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        #expect(recorder.forwardedHeads == 1)
        _ = try? channel.finish()
    }
}

extension PredictionFastPathTests {
    @Test("shutdown: a request being read that turns out too large goes to the router with the quiesce event")
    func quiesceFollowsReplayedRequest() throws {
        let (channel, recorder) = try Self.embedded()
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/predict")))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(recorder.quiesced == 0)
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(repeating: UInt8(ascii: " "), count: PredictRoute.eventLoopMaxBodyBytes + 1)))
        #expect(recorder.forwardedHeads == 1, "replayed to the router")
        #expect(recorder.quiesced == 1, "which now has the request in progress and closes after it")
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        #expect(recorder.quiesced == 1, "once")
        _ = try? channel.finish()
    }

    @Test("shutdown: answers a client never reads hold the quiesce event 10 s at most")
    func quiesceHoldEnds() throws {
        let (channel, recorder) = try Self.embedded()
        let encoder = try channel.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        encoder.write(NIOAny(ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")), promise: nil)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(recorder.quiesced == 0)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(recorder.quiesced == 1)
        _ = try? channel.finish()
    }

    @Test("the Date header is RFC 9110's IMF-fixdate")
    func dateFormat() {
        #expect(HTTPDateCache.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDateCache.format(epochSeconds: 1_796_000_000) == "Mon, 30 Nov 2026 00:53:20 GMT")
    }
}

/// Records what gets past the fast path: quiesce events and request heads.
final class QuiesceRecorder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    var quiesced = 0
    var forwardedHeads = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { forwardedHeads += 1 }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { quiesced += 1 }
    }
}

/// Counts the reads that reach it from the handlers after it.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    var count = 0

    func read(context: ChannelHandlerContext) {
        count += 1
        context.read()
    }
}
