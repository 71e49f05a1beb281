import ArgumentParser
import Foundation
import IntentSupport
import IntentML
import MLflowTracking

/// `intent train` and `intent tune` with `MLFLOW_TRACKING_URI` set: the recorded run is mirrored to MLflow
/// (see `MLflowRunExport`). The bundle and the local run are what was asked for, so a server that cannot be
/// reached is a warning that says how to retry (`intent runs push`), not a failed training.
enum MLflowPublisher {
    /// Read before any work, so that a malformed variable stops the command at once.
    static func configuration() throws -> MLflowConfiguration? {
        do { return try MLflowConfiguration.fromEnvironment() } catch { throw ValidationError("\(error)") }
    }

    /// The registry root a training records into: a temporary one when tracking is on but `--runs-dir none`.
    static func recordingRoot(runsDir: String, tracking: MLflowConfiguration?) -> (root: String, temporary: Bool) {
        guard runsDir == "none", tracking != nil else { return (runsDir, false) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("intent-mlflow-\(UUID().uuidString)").path
        return (root, true)
    }

    /// What `publish` noted in a run directory's `mlflow.json`, or nil when the run was never logged.
    static func record(of directory: URL) -> [String: Any]? {
        (try? Data(contentsOf: directory.appendingPathComponent(MLflowRunExport.recordFile)))
            .flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
    }

    /// Exports the run and notes the MLflow ids in its `mlflow.json`; true when it was logged.
    @discardableResult
    static func publish(run directory: URL, configuration: MLflowConfiguration, keepsRecord: Bool = true) async -> Bool {
        let exported: MLflowRunExport.Exported
        do {
            exported = try await MLflowClient.with(configuration: configuration) { client in
                try await MLflowRunExport(client: client).export(runDirectory: directory)
            }
        } catch {
            let retry = keepsRecord ? " The run is kept locally; `intent runs push \(directory.lastPathComponent) --runs-dir "
                + "\(directory.deletingLastPathComponent().path)` logs it later." : ""
            printError("warning: could not log the run to MLflow at \(configuration.baseURL): \(error).\(retry)")
            return false
        }
        let children = exported.childRunIDs.isEmpty ? "" : " with \(exported.childRunIDs.count) trial runs"
        printError("logged to MLflow experiment '\(configuration.experimentName)' as run \(exported.runID)\(children), "
                   + "\(exported.artifacts.count) artifacts: \(exported.url)")
        do {
            if keepsRecord {
                let record: [String: Any] = [
                    "tracking_uri": configuration.baseURL, "experiment_name": configuration.experimentName,
                    "experiment_id": exported.experimentID, "run_id": exported.runID, "child_run_ids": exported.childRunIDs,
                    "artifacts": exported.artifacts, "url": exported.url, "exported_at": ISO8601DateFormatter().string(from: Date()),
                ]
                let data = try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try AtomicFile.write(data, to: directory.appendingPathComponent(MLflowRunExport.recordFile).path)
            }
        } catch {
            // Logged, but not noted: say so, since `runs push` would then log it a second time.
            printError("warning: the run is in MLflow as \(exported.runID), but \(MLflowRunExport.recordFile) could not be written in "
                       + "\(directory.path): \(error); `intent runs push` would log it again.")
        }
        return true
    }
}
