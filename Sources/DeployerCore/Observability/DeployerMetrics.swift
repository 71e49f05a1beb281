import Foundation

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

    private struct Histogram {
        var counts = [Int](repeating: 0, count: DeployerMetrics.bucketBounds.count)
        var sum = 0.0
        var count = 0
    }

    private let lock = NSLock()
    private var deliveries: [String: Int] = [:]
    private var stages: [String: Histogram] = [:]

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
        var histogram = stages[kind] ?? Histogram()
        for (index, bound) in Self.bucketBounds.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
        histogram.sum += seconds
        histogram.count += 1
        stages[kind] = histogram
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
        var lines: [String] = []
        lines.append("# HELP deployer_webhook_deliveries_total Webhook requests received, by result.")
        lines.append("# TYPE deployer_webhook_deliveries_total counter")
        for (result, count) in deliveries.sorted(by: { $0.key < $1.key }) {
            lines.append("deployer_webhook_deliveries_total{result=\"\(Self.escape(result))\"} \(count)")
        }
        lines.append("# HELP deployer_jobs_finished_total Jobs finished, by outcome (from the state database).")
        lines.append("# TYPE deployer_jobs_finished_total counter")
        for (outcome, count) in jobs.sorted(by: { $0.key < $1.key }) {
            lines.append("deployer_jobs_finished_total{outcome=\"\(Self.escape(outcome))\"} \(count)")
        }
        lines.append("# HELP deployer_stage_duration_seconds Wall time of release stages, by stage kind.")
        lines.append("# TYPE deployer_stage_duration_seconds histogram")
        for (stage, histogram) in stages.sorted(by: { $0.key < $1.key }) {
            let label = "stage=\"\(Self.escape(stage))\""
            for (index, bound) in Self.bucketBounds.enumerated() {
                lines.append("deployer_stage_duration_seconds_bucket{\(label),le=\"\(Self.format(bound))\"} \(histogram.counts[index])")
            }
            lines.append("deployer_stage_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)")
            lines.append("deployer_stage_duration_seconds_sum{\(label)} \(histogram.sum)")
            lines.append("deployer_stage_duration_seconds_count{\(label)} \(histogram.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
