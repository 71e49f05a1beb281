import Foundation
import IntentML

/// Mirrors one directory of the local runs registry to MLflow:
///
/// - params: `model_kind`, `seed`, `threads`, every hyperparameter, and the data's sha256, sources and size
/// - metrics: `metrics.json` at step 0, and each epoch of `epochs.jsonl` as `epoch/<name>` at step = epoch
/// - tags: the run's name (its registry id), the command, the model and tool versions
/// - artifacts: every file of the directory: the bundle under `model/`, `report.html`, and the rest
/// - a tuning study (`study.json`) adds one child run per trial (MLflow's `mlflow.parentRunId`), with the
///   trial's values as params and its validation accuracy at each rung, the rung's epochs as the step
public struct MLflowRunExport: Sendable {
    /// What was created on the server.
    public struct Exported: Sendable, Equatable {
        public var experimentID: String
        public var runID: String
        public var childRunIDs: [String]
        public var artifacts: [String]
        /// The run's page in MLflow's UI.
        public var url: String
    }

    /// The file the registry keeps beside a run once it is exported (it is not uploaded).
    public static let recordFile = "mlflow.json"

    public let client: MLflowClient

    public init(client: MLflowClient) {
        self.client = client
    }

    public func export(runDirectory: URL) async throws -> Exported {
        let run = try Self.readObject(runDirectory.appendingPathComponent("run.json"))
        let metricsObject = (try? Self.readObject(runDirectory.appendingPathComponent("metrics.json"))) ?? [:]
        let epochs = Self.readLines(runDirectory.appendingPathComponent("epochs.jsonl"))
        let id = run["id"] as? String ?? runDirectory.lastPathComponent
        let milliseconds = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
        let started = (run["started_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
            .map { Int64($0.timeIntervalSince1970 * 1000) } ?? milliseconds()

        let experiment = try await client.experimentID(named: client.configuration.experimentName)
        let command = run["command"] as? String ?? "train"
        var tags = [MLflowClient.Entry("mlflow.runName", id), MLflowClient.Entry("mlflow.source.name", "intent \(command)"),
                    MLflowClient.Entry("mlflow.source.type", "LOCAL"), MLflowClient.Entry("intentops.run_id", id),
                    MLflowClient.Entry("intentops.command", command)]
        for key in ["model_version", "tool_version"] {
            if let value = run[key] as? String { tags.append(.init("intentops.\(key)", value)) }
        }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { tags.append(.init("mlflow.user", user)) }
        let created = try await client.createRun(experimentID: experiment, name: id, startTime: started, tags: tags)
        do {
            // Before anything else is logged: a store the server does not proxy cannot take the bundle.
            guard let root = MLflowClient.proxiedArtifactRoot(created.artifactURI) else {
                throw MLflowError(call: "artifacts", message: """
                    experiment '\(client.configuration.experimentName)' keeps its artifacts at '\(created.artifactURI)', which the \
                    server does not proxy, so they cannot be uploaded through its REST API; use an experiment created by a \
                    server that serves artifacts (`mlflow server`'s default, --serve-artifacts), with MLFLOW_EXPERIMENT_NAME
                    """)
            }
            let now = milliseconds()
            var metrics = metricsObject.compactMap { key, value in Self.number(value).map { MLflowClient.Metric(key, $0, timestamp: now) } }
            for line in epochs {
                guard let epoch = line["epoch"] as? Int else { continue }
                for (key, value) in line where key != "epoch" {
                    if let number = Self.number(value) { metrics.append(.init("epoch/\(key)", number, step: epoch, timestamp: now)) }
                }
            }
            try await client.logBatch(runID: created.id, params: Self.params(of: run), metrics: metrics.sorted { ($0.key, $0.step) < ($1.key, $1.step) })
            var children: [String] = []
            if let study = try? Self.readObject(runDirectory.appendingPathComponent("study.json")) {
                children = try await exportTrials(study, experiment: experiment, parent: created.id, parentName: id, started: started)
            }
            let artifacts = try await uploadArtifacts(of: runDirectory, to: root)
            try await client.finishRun(runID: created.id, status: "FINISHED", endTime: milliseconds())
            return Exported(experimentID: experiment, runID: created.id, childRunIDs: children, artifacts: artifacts,
                            url: "\(client.configuration.baseURL)/#/experiments/\(experiment)/runs/\(created.id)")
        } catch {
            // Best effort: the run shows as failed rather than running forever.
            try? await client.finishRun(runID: created.id, status: "FAILED", endTime: milliseconds())
            throw error
        }
    }

    /// One child run per trial of a tuning study.
    private func exportTrials(_ study: [String: Any], experiment: String, parent: String, parentName: String, started: Int64) async throws -> [String] {
        let best = study["best_trial"] as? Int
        var ids: [String] = []
        for trial in study["trials"] as? [[String: Any]] ?? [] {
            guard let number = trial["trial"] as? Int else { continue }
            var tags = [MLflowClient.Entry("mlflow.parentRunId", parent), MLflowClient.Entry("mlflow.runName", "\(parentName) trial \(number)"),
                        MLflowClient.Entry("intentops.trial", String(number))]
            if number == 0 { tags.append(.init("intentops.defaults", "true")) }
            if number == best { tags.append(.init("intentops.best_trial", "true")) }
            if let failure = trial["failure"] as? String { tags.append(.init("intentops.failure", String(failure.prefix(5000)))) }
            let child = try await client.createRun(experimentID: experiment, name: "\(parentName) trial \(number)", startTime: started, tags: tags)
            do {
                let values = (trial["values"] as? [String: Any] ?? [:]).map { MLflowClient.Entry($0.key, Self.text($0.value)) }
                var metrics: [MLflowClient.Metric] = []
                for (index, rung) in (trial["rungs"] as? [[String: Any]] ?? []).enumerated() {
                    let step = rung["epochs"] as? Int ?? index
                    if let accuracy = Self.number(rung["validation_accuracy"] as Any) { metrics.append(.init("validation_accuracy", accuracy, step: step, timestamp: started)) }
                    if let seconds = Self.number(rung["seconds"] as Any) { metrics.append(.init("rung_seconds", seconds, step: step, timestamp: started)) }
                }
                try await client.logBatch(runID: child.id, params: values.sorted { $0.key < $1.key } + [.init("trial", String(number))], metrics: metrics)
                try await client.finishRun(runID: child.id, status: trial["failure"] == nil ? "FINISHED" : "FAILED", endTime: started)
            } catch {
                try? await client.finishRun(runID: child.id, status: "FAILED", endTime: started)
                throw error
            }
            ids.append(child.id)
        }
        return ids
    }

    /// Every file under the run directory, by its relative path, sorted; `mlflow.json` stays local.
    private func uploadArtifacts(of directory: URL, to root: MLflowClient.ArtifactRoot) async throws -> [String] {
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var paths: [String] = []
        if let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let full = url.standardizedFileURL.resolvingSymlinksInPath().path
                guard full.hasPrefix(base + "/") else { continue }
                let relative = String(full.dropFirst(base.count + 1))
                // Atomic writes leave nothing behind, but a crashed one might: skip hidden temporaries.
                guard relative != Self.recordFile, !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
                paths.append(relative)
            }
        }
        paths.sort()
        for path in paths {
            let data = try Data(contentsOf: directory.appendingPathComponent(path))
            try await client.uploadArtifact(root: root, path: path, data: data)
        }
        return paths
    }

    // MARK: Reading the run directory

    static func params(of run: [String: Any]) -> [MLflowClient.Entry] {
        var params: [MLflowClient.Entry] = []
        for key in ["model_kind", "seed", "threads"] {
            if let value = run[key] { params.append(.init(key, text(value))) }
        }
        for (key, value) in ModelHyperparameters.flattened(run["hyperparameters"] as? [String: Any] ?? [:]) {
            params.append(.init(key, text(value)))
        }
        if let data = run["data"] as? [String: Any] {
            for (key, value) in data { params.append(.init("data.\(key)", text(value))) }
        }
        // MLflow keeps values up to 6000 characters.
        return params.map { MLflowClient.Entry($0.key, String($0.value.prefix(6000))) }.sorted { $0.key < $1.key }
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        case let list as [String]: return list.joined(separator: ", ")
        default:
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
    }

    /// A finite number.
    static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }

    static func readObject(_ url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MLflowError(call: "export", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw MLflowError(call: "export", message: "\(url.path) is not a JSON object")
        }
        return object
    }

    static func readLines(_ url: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}
