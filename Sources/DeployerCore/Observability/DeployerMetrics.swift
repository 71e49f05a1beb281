import Foundation
import HTTPServing

/// The deployer's Prometheus metrics, kept in memory and written in the text exposition format.
///
/// - `deployer_webhook_deliveries_total{result}`: every request to /webhook by what became of it
///   (`queued`, `duplicate_delivery`, `ignored`, `pong`, or the rejection code such as `bad_signature`).
/// - `deployer_jobs_finished_total{outcome}`: jobs by final status (`succeeded`, `failed`, `rolled_back`,
///   `rollback_failed`, `superseded`), counted from the state database at scrape time, so that jobs
///   finished by a restart's recovery or by `deployer deploy` in another process count too.
/// - `deployer_stage_duration_seconds{stage}`: a histogram of stage wall time by stage kind (`fetch`,
///   `test`, `build`, `push`, `deploy`, `rollout`, `smoke`, `rollback`, ...), a bounded label set.
///
/// A handful of counters under one lock: cheaper than a metrics framework on the webhook path, and the
/// exposition is checked with `promtool check metrics` in CI.
public final class DeployerMetrics: @unchecked Sendable {
    /// Histogram bucket upper bounds in seconds: commands run from milliseconds (git rev-parse) to tens of
    /// minutes (a cold `swift test`).
    static let bucketBounds: [Double] = [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800]

    private let lock = NSLock()
    private var deliveries: [String: Int] = [:]
    private var stages: [String: PrometheusHistogram] = [:]

    public init() {}

    /// Counts one /webhook request by its result.
    public func recordDelivery(result: String) {
        lock.lock()
        deliveries[result, default: 0] += 1
        lock.unlock()
    }

    /// Observes one stage's duration; `stage` is the stage's name, reduced to its kind (first word).
    public func recordStage(_ stage: String, seconds: Double) {
        let kind = Self.kind(of: stage)
        lock.lock()
        stages[kind, default: PrometheusHistogram(bounds: Self.bucketBounds)].observe(seconds)
        lock.unlock()
    }

    /// The stage kind used as the label: a configured test stage keeps its own name when it is one
    /// plain word, else the first word (`build api` -> `build`).
    static func kind(of stage: String) -> String {
        let first = stage.split(separator: " ").first.map(String.init) ?? "unknown"
        let cleaned = first.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
        return cleaned.isEmpty ? "unknown" : String(String.UnicodeScalarView(cleaned.prefix(40)))
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    public func exposition(finishedJobs jobs: [String: Int]) -> String {
        lock.lock()
        let deliveries = self.deliveries, stages = self.stages
        lock.unlock()
        var text = PrometheusText()
        text.family("deployer_webhook_deliveries_total", help: "Webhook requests received, by result.", kind: .counter)
        for (result, count) in deliveries.sorted(by: { $0.key < $1.key }) {
            text.sample("deployer_webhook_deliveries_total", labels: [("result", result)], count)
        }
        text.family("deployer_jobs_finished_total", help: "Jobs finished, by outcome (from the state database).", kind: .counter)
        for (outcome, count) in jobs.sorted(by: { $0.key < $1.key }) {
            text.sample("deployer_jobs_finished_total", labels: [("outcome", outcome)], count)
        }
        text.family("deployer_stage_duration_seconds", help: "Wall time of release stages, by stage kind.", kind: .histogram)
        for (stage, histogram) in stages.sorted(by: { $0.key < $1.key }) {
            text.histogram("deployer_stage_duration_seconds", labels: [("stage", stage)], histogram)
        }
        return text.text
    }
}
