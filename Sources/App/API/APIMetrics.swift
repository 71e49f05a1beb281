import Foundation
import HTTPServing
import Hummingbird

/// The API's Prometheus metrics, kept in memory under one lock and written in the text format.
///
/// - `intent_http_requests_total{route,status}` and `intent_http_request_duration_seconds{route}`
///   (histogram): every request, by matched route template (a bounded label set).
/// - `intent_http_fast_path_requests_total`: of those, the predictions answered on
///   the event loop.
/// - `intent_predictions_total{intent}`: answers by intent, `<unknown>` included, so the unknown rate is
///   `intent_predictions_total{intent="<unknown>"} / sum(intent_predictions_total)`.
/// - `intent_prediction_confidence` (histogram): the confidence of every answer.
/// - `intent_model_info{name,version}`: 1 for the model serving now.
/// - `intent_request_log_written_total`, `intent_request_log_dropped_total` (the queue was full) and
///   `intent_request_log_queue_length`, when the request log is on.
///
/// Counters by hand rather than a metrics framework: a framework's per-request label lookups measured
/// about 20% of peak throughput here (SWIFT-NOTES), this is a dictionary update under a lock.
final class APIMetrics: @unchecked Sendable {
    static let durationBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    static let confidenceBounds: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]

    private struct Histogram {
        var counts: [Int]
        var sum = 0.0
        var count = 0
        init(buckets: Int) { counts = [Int](repeating: 0, count: buckets) }

        mutating func observe(_ value: Double, bounds: [Double]) {
            for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    private let lock = NSLock()
    private var requests: [RouteStatus: Int] = [:]
    private var durations: [String: Histogram] = [:]
    private var predictions: [String: Int] = [:]
    private var confidence = Histogram(buckets: APIMetrics.confidenceBounds.count)
    private var eventLoopAnswers = 0

    /// One request on `route` (the matched template, e.g. `/v1/predict`) answered `status` in `duration`;
    /// `onEventLoop` when it was answered on the event loop (`PredictRoute.eventLoopResponder`).
    func recordRequest(route: String, status: Int, duration: Duration, onEventLoop: Bool = false) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        lock.lock()
        requests[RouteStatus(route: route, status: status), default: 0] += 1
        if onEventLoop { eventLoopAnswers += 1 }
        durations[route, default: Histogram(buckets: Self.durationBounds.count)].observe(seconds, bounds: Self.durationBounds)
        lock.unlock()
    }

    /// One answer.
    func recordPrediction(intent: String, confidence value: Float) {
        lock.lock()
        predictions[intent, default: 0] += 1
        confidence.observe(Double(value), bounds: Self.confidenceBounds)
        lock.unlock()
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    func exposition(model: (name: String, version: String), requestLog: RequestLogQueue? = nil,
                    server: (connections: ConnectionRegistry, budgets: APIBudgets)? = nil) -> String {
        lock.lock()
        let requests = self.requests, durations = self.durations, predictions = self.predictions, confidence = self.confidence
        let eventLoopAnswers = self.eventLoopAnswers
        lock.unlock()
        var lines: [String] = [
            "# HELP intent_http_requests_total HTTP requests answered, by route and status.",
            "# TYPE intent_http_requests_total counter",
        ]
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }) {
            lines.append("intent_http_requests_total{route=\"\(Self.escape(key.route))\",status=\"\(key.status)\"} \(count)")
        }
        lines += ["# HELP intent_http_fast_path_requests_total Prediction requests answered on the event loop (included in intent_http_requests_total).",
                  "# TYPE intent_http_fast_path_requests_total counter", "intent_http_fast_path_requests_total \(eventLoopAnswers)"]
        lines += ["# HELP intent_http_request_duration_seconds Time to answer a request, by route.",
                  "# TYPE intent_http_request_duration_seconds histogram"]
        for (route, histogram) in durations.sorted(by: { $0.key < $1.key }) {
            lines += Self.histogramLines("intent_http_request_duration_seconds", label: "route=\"\(Self.escape(route))\",", histogram, Self.durationBounds)
        }
        lines += ["# HELP intent_predictions_total Answers given, by intent (<unknown> included).",
                  "# TYPE intent_predictions_total counter"]
        for (intent, count) in predictions.sorted(by: { $0.key < $1.key }) {
            lines.append("intent_predictions_total{intent=\"\(Self.escape(intent))\"} \(count)")
        }
        lines += ["# HELP intent_prediction_confidence Confidence of the answers given.",
                  "# TYPE intent_prediction_confidence histogram"]
        lines += Self.histogramLines("intent_prediction_confidence", label: "", confidence, Self.confidenceBounds)
        lines += ["# HELP intent_model_info The model serving now (value 1).", "# TYPE intent_model_info gauge",
                  "intent_model_info{name=\"\(Self.escape(model.name))\",version=\"\(Self.escape(model.version))\"} 1"]
        if let requestLog {
            let counts = requestLog.counts
            lines += ["# HELP intent_request_log_written_total Predictions written to the request log.",
                      "# TYPE intent_request_log_written_total counter", "intent_request_log_written_total \(counts.written)",
                      "# HELP intent_request_log_dropped_total Predictions not logged because the log queue was full.",
                      "# TYPE intent_request_log_dropped_total counter", "intent_request_log_dropped_total \(counts.dropped)",
                      "# HELP intent_request_log_queue_length Predictions waiting to be written to the request log.",
                      "# TYPE intent_request_log_queue_length gauge", "intent_request_log_queue_length \(counts.queued)"]
        }
        if let server { lines += Self.serverLines(connections: server.connections, budgets: server.budgets) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func histogramLines(_ name: String, label: String, _ histogram: Histogram, _ bounds: [Double]) -> [String] {
        var lines: [String] = []
        for (index, bound) in bounds.enumerated() {
            lines.append("\(name)_bucket{\(label)le=\"\(bound)\"} \(histogram.counts[index])")
        }
        lines.append("\(name)_bucket{\(label)le=\"+Inf\"} \(histogram.count)")
        let plain = label.isEmpty ? "" : "{\(label.dropLast())}"
        lines.append("\(name)_sum\(plain) \(histogram.sum)")
        lines.append("\(name)_count\(plain) \(histogram.count)")
        return lines
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Times every request and counts it by matched route and final status (outermost middleware, so the
/// status is the one the client gets, errors included).
struct APIMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics
    /// The served paths: a known path asked with the wrong method (405) is counted under it, anything
    /// else no route matched under `unmatched`, so the label set stays bounded.
    let paths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { paths.contains($0) ? $0 : nil }
            ?? (paths.contains(request.uri.path) ? request.uri.path : "unmatched")
        metrics.recordRequest(route: route, status: Int(response.status.code), duration: ContinuousClock.now - started)
        return response
    }
}
