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

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    private let lock = NSLock()
    private var requests: [RouteStatus: Int] = [:]
    private var durations: [String: PrometheusHistogram] = [:]
    private var predictions: [String: Int] = [:]
    private var confidence = PrometheusHistogram(bounds: APIMetrics.confidenceBounds)
    private var eventLoopAnswers = 0

    /// One request on `route` (the matched template, e.g. `/v1/predict`) answered `status` in `duration`;
    /// `onEventLoop` when it was answered on the event loop (`PredictRoute.eventLoopResponder`).
    func recordRequest(route: String, status: Int, duration: Duration, onEventLoop: Bool = false) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        lock.lock()
        requests[RouteStatus(route: route, status: status), default: 0] += 1
        if onEventLoop { eventLoopAnswers += 1 }
        durations[route, default: PrometheusHistogram(bounds: Self.durationBounds)].observe(seconds)
        lock.unlock()
    }

    /// One answer.
    func recordPrediction(intent: String, confidence value: Float) {
        lock.lock()
        predictions[intent, default: 0] += 1
        confidence.observe(Double(value))
        lock.unlock()
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    func exposition(model: (name: String, version: String), requestLog: (any PredictionLog)? = nil,
                    server: (connections: ConnectionRegistry, budgets: APIBudgets)? = nil) -> String {
        lock.lock()
        let requests = self.requests, durations = self.durations, predictions = self.predictions, confidence = self.confidence
        let eventLoopAnswers = self.eventLoopAnswers
        lock.unlock()
        var text = PrometheusText()
        text.family("intent_http_requests_total", help: "HTTP requests answered, by route and status.", kind: .counter)
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }) {
            text.sample("intent_http_requests_total", labels: [("route", key.route), ("status", String(key.status))], count)
        }
        text.family("intent_http_fast_path_requests_total",
                    help: "Prediction requests answered on the event loop (included in intent_http_requests_total).", kind: .counter, value: eventLoopAnswers)
        text.family("intent_http_request_duration_seconds", help: "Time to answer a request, by route.", kind: .histogram)
        for (route, histogram) in durations.sorted(by: { $0.key < $1.key }) {
            text.histogram("intent_http_request_duration_seconds", labels: [("route", route)], histogram)
        }
        text.family("intent_predictions_total", help: "Answers given, by intent (<unknown> included).", kind: .counter)
        for (intent, count) in predictions.sorted(by: { $0.key < $1.key }) {
            text.sample("intent_predictions_total", labels: [("intent", intent)], count)
        }
        text.family("intent_prediction_confidence", help: "Confidence of the answers given.", kind: .histogram)
        text.histogram("intent_prediction_confidence", confidence)
        text.family("intent_model_info", help: "The model serving now (value 1).", kind: .gauge)
        text.sample("intent_model_info", labels: [("name", model.name), ("version", model.version)], 1)
        if let requestLog {
            let counts = requestLog.counts
            text.family("intent_request_log_written_total", help: "Predictions written to the request log.", kind: .counter, value: counts.written)
            text.family("intent_request_log_dropped_total", help: "Predictions not logged because the log queue was full.", kind: .counter, value: counts.dropped)
            text.family("intent_request_log_queue_length", help: "Predictions waiting to be written to the request log.", kind: .gauge, value: counts.queued)
        }
        if let server { Self.writeServer(connections: server.connections, budgets: server.budgets, to: &text) }
        return text.text
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
