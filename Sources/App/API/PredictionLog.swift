import ServiceLifecycle

/// Where `intent serve` records the answers it gives: the SQLite request log (`RequestLog`) when serving,
/// an in-memory list in tests. It runs as a service beside the server and is stopped after it, so every
/// answered request is recorded before the process exits.
protocol PredictionLog: Service {
    /// Records one answer. Called on the request path: it must never block on I/O or fail the request.
    func record(_ entry: RequestLogEntry)
    /// Answers waiting to be written, dropped because the log could not keep up, and written (for /metrics).
    var counts: (queued: Int, dropped: Int, written: Int) { get }
    /// Where the answers go, for the start-up log line.
    var destination: String { get }
}

extension RequestLog: PredictionLog {
    var counts: (queued: Int, dropped: Int, written: Int) { queue.counts }
    var destination: String { settings.path }
}
