import Logging
import ServiceLifecycle

/// Bounds a graceful shutdown: once it starts (SIGTERM, SIGINT), requests in flight get `timeout` to
/// finish, then every connection still open is closed, so the server stops and the process exits 0 even
/// when a client holds a request half-sent.
///
/// Put it after the server in the `ServiceGroup`: services are told to shut down last first, so the
/// deadline starts before the server begins to drain.
public struct DrainDeadline: Service {
    let registry: ConnectionRegistry
    let timeout: Duration
    let logger: Logger

    public init(registry: ConnectionRegistry, timeout: Duration, logger: Logger) {
        self.registry = registry
        self.timeout = timeout
        self.logger = logger
    }

    public func run() async throws {
        // Returns when the shutdown begins (or the group is cancelled, which closes everything anyway).
        try? await gracefulShutdown()
        let registry = registry, timeout = timeout, logger = logger
        // Not awaited: the group shuts the server down after this service returns, while the deadline runs.
        Task {
            try await Task.sleep(for: timeout)
            let open = registry.count
            guard open > 0 else { return }
            logger.info("drain deadline passed: closing the connections still open", metadata: ["http.connections": "\(open)"])
            registry.closeAll()
        }
    }
}
