import Logging

/// Sends a release's statuses to the forge in the order they happened, off the release's path: the
/// pipeline never waits for a slow or unreachable forge, and the forge still sees `pending`, then each
/// stage, then the outcome.
public final class ForgeReporter: Sendable {
    private let continuation: AsyncStream<ForgeStatus>.Continuation
    private let consumer: Task<Void, Never>

    public init(notifier: any ForgeNotifier) {
        let (stream, continuation) = AsyncStream.makeStream(of: ForgeStatus.self)
        self.continuation = continuation
        consumer = Task {
            for await status in stream { await notifier.post(status) }
        }
    }

    /// Queues `status` (safe from any thread; returns at once).
    public func report(_ status: ForgeStatus) {
        continuation.yield(status)
    }

    /// Stops taking statuses and waits until the queued ones were posted (or given up).
    public func finish() async {
        continuation.finish()
        await consumer.value
    }

    deinit {
        continuation.finish()
    }
}

extension DeployerConfiguration {
    /// The reporter of the configured forge, or nil when none is configured.
    public func forgeReporter(logger: Logger) -> ForgeReporter? {
        guard let forge, let forgeToken else { return nil }
        return ForgeReporter(notifier: HTTPForgeNotifier(kind: forge.kind, apiURL: forge.apiURL, token: forgeToken, targetURL: forge.targetURL,
                                                         logger: logger))
    }
}
