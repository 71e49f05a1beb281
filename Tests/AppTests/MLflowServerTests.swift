import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `intent train` and `intent tune` against a real `mlflow server` (PyPI's mlflow) on 127.0.0.1, checked
/// through MLflow's own REST API. Opt-in: it runs when INTENTOPS_MLFLOW_TEST=1 (`.ci/run` installs mlflow
/// and sets it) and fails, rather than skips, when the server cannot be started then.
@Suite("MLflow server", .enabled(if: ProcessInfo.processInfo.environment["INTENTOPS_MLFLOW_TEST"] == "1"))
struct MLflowServerTests {
    /// `mlflow server`, stopped with the uvicorn worker it starts: Foundation's `Process` makes the child the
    /// leader of a process group of its own, so the group is signalled.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let directory = TestDirectories.make(prefix: "intent-cli")

        init() throws {
            port = try TestPorts.free()
            let log = directory.appendingPathComponent("mlflow.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["mlflow", "server", "--host", "127.0.0.1", "--port", "\(port)", "--workers", "1",
                                 "--backend-store-uri", "sqlite:///\(directory.path)/mlflow.db",
                                 "--artifacts-destination", directory.appendingPathComponent("artifacts").path]
            // No background job runner: nothing here needs it, and it starts a dozen more processes.
            process.environment = ProcessInfo.processInfo.environment.merging(["MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"]) { $1 }
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if let response = try? HTTPConnection(port: port).send("GET", "/health"), response.status == 200 { return }
                guard process.isRunning else { break }
                usleep(250_000)
            }
            stop()
            throw LiveServerError.notReady((try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }

        var uri: String { "http://127.0.0.1:\(port)" }

        /// One REST call, its JSON answer.
        func call(_ method: String, _ path: String, body: [String: Any]? = nil) throws -> [String: Any] {
            let text = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            let response = try HTTPConnection(port: port).send(method, path, body: text)
            guard response.status == 200 else { throw LiveServerError.malformed("\(method) \(path): \(response.status) \(response.body)") }
            return (try JSONSerialization.jsonObject(with: Data(response.body.utf8))) as? [String: Any] ?? [:]
        }

        func stop() {
            if process.isRunning {
                kill(-process.processIdentifier, SIGTERM)
                let deadline = Date().addingTimeInterval(15)
                while process.isRunning, Date() < deadline { usleep(50_000) }
                if process.isRunning { kill(-process.processIdentifier, SIGKILL) }
            }
            _ = try? process.waitForExit(timeout: 30)
        }

        deinit { stop() }
    }

    @Test("the run, its parameters, metrics and artifacts are visible through MLflow's API")
    func trainAndTuneAreLogged() async throws {
        let server = try Server()
        defer { server.stop() }
        let directory = TestDirectories.make(prefix: "intent-cli")
        let runs = directory.appendingPathComponent("runs").path
        let environment = ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": "intentops+ci"]
        let trained = try await IntentProcess.runDetached(
            ["train", "--seed", "3", "--output", directory.appendingPathComponent("m").path, "--runs-dir", runs, "--quiet"], environment: environment)
        #expect(trained.status == 0 && trained.stderr.contains("logged to MLflow"), "\(trained.stderr)")
        let local = URL(fileURLWithPath: runs).appendingPathComponent(try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first))

        let experiment = try server.call("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=intentops%2Bci")
        let experimentID = try #require((experiment["experiment"] as? [String: Any])?["experiment_id"] as? String)
        let searched = try server.call("POST", "/api/2.0/mlflow/runs/search", body: ["experiment_ids": [experimentID]])
        let found = try #require((searched["runs"] as? [[String: Any]])?.first)
        let info = try #require(found["info"] as? [String: Any])
        let runID = try #require(info["run_id"] as? String)
        #expect(info["status"] as? String == "FINISHED" && info["run_name"] as? String == local.lastPathComponent)
        let data = try #require(found["data"] as? [String: Any])
        let params = Dictionary(((data["params"] as? [[String: String]]) ?? []).map { ($0["key"] ?? "", $0["value"] ?? "") }) { $1 }
        #expect(params["seed"] == "3" && params["model_kind"] == "ngram" && params["dimension"] == "64", "\(params)")
        let metrics = Dictionary(((data["metrics"] as? [[String: Any]]) ?? []).map { ($0["key"] as? String ?? "", ($0["value"] as? NSNumber)?.doubleValue ?? .nan) }) { $1 }
        let localMetrics = try JSONSerialization.jsonObject(with: Data(contentsOf: local.appendingPathComponent("metrics.json"))) as? [String: Double]
        #expect(metrics["validation_accuracy"] == localMetrics?["validation_accuracy"], "\(metrics)")
        let history = try server.call("GET", "/api/2.0/mlflow/metrics/get-history?run_id=\(runID)&metric_key=epoch%2Floss")
        #expect(((history["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["step"] as? Int }.sorted() == Array(1...30))

        // The bundle as artifacts: every file, the same sizes, and the manifest byte for byte.
        let listed = try server.call("GET", "/api/2.0/mlflow/artifacts/list?run_id=\(runID)&path=model")
        let sizes = Dictionary(((listed["files"] as? [[String: Any]]) ?? []).map { ($0["path"] as? String ?? "", $0["file_size"] as? Int ?? -1) }) { $1 }
        for name in ["manifest.json", "vocabulary.txt", "weights.bin"] {
            // Required, so that a missing listing can never equal a missing local size.
            let size = try #require(try FileManager.default.attributesOfItem(atPath: local.appendingPathComponent("model/\(name)").path)[.size] as? Int)
            #expect(sizes["model/\(name)"] == size, "\(name): \(sizes)")
        }
        let manifest = try HTTPConnection(port: server.port).send("GET", "/api/2.0/mlflow-artifacts/artifacts/\(experimentID)/\(runID)/artifacts/model/manifest.json")
        let localManifest = try String(contentsOf: local.appendingPathComponent("model/manifest.json"), encoding: .utf8)
        #expect(manifest.status == 200 && manifest.body == localManifest)

        // A tuning study, into the experiment the first run made ('+' in its name must not read as a space):
        // the parent run and one child per trial.
        let space = directory.appendingPathComponent("space.json")
        try #"{"learning_rate": {"log_uniform": [0.2, 1.0]}}"#.write(to: space, atomically: true, encoding: .utf8)
        let tuned = try await IntentProcess.runDetached(
            ["tune", "--space", space.path, "--trials", "3", "--output", directory.appendingPathComponent("study").path, "--runs-dir", runs, "--quiet"],
            environment: environment)
        #expect(tuned.status == 0 && tuned.stderr.contains("with 3 trial runs"), "\(tuned.stderr)")
        let all = try server.call("POST", "/api/2.0/mlflow/runs/search", body: ["experiment_ids": [experimentID], "max_results": 100])
        let tags = ((all["runs"] as? [[String: Any]]) ?? []).map { run in
            Dictionary((((run["data"] as? [String: Any])?["tags"] as? [[String: String]]) ?? []).map { ($0["key"] ?? "", $0["value"] ?? "") }) { $1 }
        }
        #expect(tags.count == 5, "the training, the study and its 3 trials")
        #expect(tags.filter { $0["mlflow.parentRunId"] != nil }.compactMap { $0["intentops.trial"] }.sorted() == ["0", "1", "2"])
    }
}
