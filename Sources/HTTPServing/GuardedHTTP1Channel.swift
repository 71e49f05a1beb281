import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with `ConnectionGuard` in front of the decoder and `RequestTracker`
/// right after it: what both servers (`intent serve`, `deployer serve`) run on.
///
/// `afterDecoder` adds handlers between the tracker and Hummingbird's codec, where they see every
/// request as NIO decoded it (`intent serve` answers predictions there, on the event loop).
public struct GuardedHTTP1Channel: ServerChildChannel {
    public typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: ServerLimits
    let registry: ConnectionRegistry
    let maxBodyBytes: Int
    let afterDecoder: @Sendable () -> [any ChannelHandler]

    /// - Parameters:
    ///   - maxBodyBytes: the largest body the application reads (a larger `Expect: 100-continue` is not invited).
    ///   - afterDecoder: handlers to place after the tracker, made anew for each connection.
    public init(responder: @escaping HTTPChannelHandler.Responder, limits: ServerLimits, registry: ConnectionRegistry,
                maxBodyBytes: Int, afterDecoder: @escaping @Sendable () -> [any ChannelHandler] = { [] }) {
        // The decoder counts the request line as a field, and it into the whole head.
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: limits.maxRequestLineBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: limits.maxHeaderFields)
        // No idle timeout of Hummingbird's: ConnectionGuard keeps every deadline, fast-path requests included.
        http1 = HTTP1Channel(responder: responder, configuration: .init(httpDecoderConfiguration: decoder))
        self.limits = limits
        self.registry = registry
        self.maxBodyBytes = maxBodyBytes
        self.afterDecoder = afterDecoder
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let connectionGuard = ConnectionGuard(limits: limits, registry: registry)
            try pipeline.addHandler(connectionGuard, position: .first)
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            var previous: any ChannelHandler = RequestTracker(connectionGuard: connectionGuard, maxBodyBytes: maxBodyBytes)
            try pipeline.addHandler(previous, position: .after(decoder.handler))
            for handler in afterDecoder() {
                try pipeline.addHandler(handler, position: .after(previous))
                previous = handler
            }
            return value
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
