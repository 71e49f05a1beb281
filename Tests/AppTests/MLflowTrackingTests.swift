import Foundation
import IntentML
@testable import MLflowTracking
import Testing
import TestSupport

/// MLflow tracking against an in-process fake of its REST API (the real server: `MLflowServerTests`).
@Suite("MLflow tracking")
struct MLflowTrackingTests {
    @Test("the environment: off when unset, http(s) only, MLflow's credential and retry variables")
    func configuration() throws {
        #expect(try MLflowConfiguration.fromEnvironment([:]) == nil)
        #expect(try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": " "]) == nil)
        let plain = try #require(try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": "https://mlflow.example.com/prefix/"]))
        #expect(plain.baseURL == "https://mlflow.example.com/prefix" && plain.experimentName == "intentops" && plain.authorization == nil)
        let token = try MLflowConfiguration.fromEnvironment([
            "MLFLOW_TRACKING_URI": "http://h:5000", "MLFLOW_TRACKING_TOKEN": "t0k", "MLFLOW_EXPERIMENT_NAME": "atis",
            "MLFLOW_HTTP_REQUEST_TIMEOUT": "7", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        ])
        #expect(token == MLflowConfiguration(baseURL: "http://h:5000", experimentName: "atis", authorization: "Bearer t0k", timeoutSeconds: 7, maxRetries: 0))
        let basic = try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": "http://h", "MLFLOW_TRACKING_USERNAME": "ann", "MLFLOW_TRACKING_PASSWORD": "pw"])
        #expect(basic?.authorization == "Basic YW5uOnB3")
        // Proxies by the URI's scheme, upper or lower case, unless NO_PROXY covers the host.
        let proxied = try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": "https://ml.corp.example", "https_proxy": "proxy:3128"])
        #expect(proxied?.proxy == .init(host: "proxy", port: 3128))
        let exempt = try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": "https://ml.corp.example", "HTTPS_PROXY": "http://proxy:3128",
                                                              "NO_PROXY": "localhost,.example"])
        #expect(exempt?.proxy == nil)
        #expect(try MLflowConfiguration.fromEnvironment(["MLFLOW_TRACKING_URI": "http://h", "HTTPS_PROXY": "proxy:3128"])?.proxy == nil)
        for (environment, mentions) in [
            (["MLFLOW_TRACKING_URI": "localhost:5000"], "not an http:// or https:// address"),
            (["MLFLOW_TRACKING_URI": "file:///tmp/mlruns"], "file:///tmp/mlruns"),
            (["MLFLOW_TRACKING_URI": "http://u:p@h:5000"], "MLFLOW_TRACKING_USERNAME"),
            (["MLFLOW_TRACKING_URI": "http://h", "MLFLOW_HTTP_REQUEST_TIMEOUT": "soon"], "MLFLOW_HTTP_REQUEST_TIMEOUT=soon"),
            (["MLFLOW_TRACKING_URI": "http://h", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "-1"], "MLFLOW_HTTP_REQUEST_MAX_RETRIES=-1"),
        ] {
            #expect { try MLflowConfiguration.fromEnvironment(environment) } throws: { "\($0)".contains(mentions) }
        }
    }

    @Test("params: an ensemble's nested member settings become one param each (ngram.dimension)")
    func nestedParams() throws {
        let run: [String: Any] = ["model_kind": "ensemble", "seed": 1,
                                  "hyperparameters": ["ngram_weight": 0.5, "ngram": ["dimension": 64], "lstm_attention": ["hidden_size": 64]]]
        let params = Dictionary(uniqueKeysWithValues: MLflowRunExport.params(of: run).map { ($0.key, $0.value) })
        #expect(params["ngram.dimension"] == "64")
        #expect(params["lstm_attention.hidden_size"] == "64")
        #expect(params["ngram_weight"] == "0.5")
        #expect(params["ngram"] == nil)
    }

    @Test("artifact URIs the server proxies, and the ones it does not")
    func artifactRoots() {
        #expect(MLflowClient.proxiedArtifactRoot("mlflow-artifacts:/3/abc/artifacts") == .init(host: nil, path: "3/abc/artifacts"))
        #expect(MLflowClient.proxiedArtifactRoot("mlflow-artifacts://store:5001/3/abc/artifacts") == .init(host: "store:5001", path: "3/abc/artifacts"))
        #expect(MLflowClient.proxiedArtifactRoot("s3://bucket/3/abc/artifacts") == nil)
        #expect(MLflowClient.proxiedArtifactRoot("/var/mlruns/3/abc/artifacts") == nil)
    }

    @Test("intent train logs params, metrics, the epoch history and every file of the run, byte for byte")
    func trainIsLogged() async throws {
        let fake = FakeMLflow()
        let directory = TestDirectories.make(prefix: "intent-cli")
        let runs = directory.appendingPathComponent("runs").path
        try await fake.serve { uri in
            let result = try await IntentProcess.runDetached(
                ["train", "--seed", "5", "--output", directory.appendingPathComponent("m").path, "--runs-dir", runs, "--quiet"],
                environment: ["MLFLOW_TRACKING_URI": uri, "MLFLOW_EXPERIMENT_NAME": "demo"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("logged to MLflow experiment 'demo' as run run001"), "\(result.stderr)")
        }
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first)
        let local = URL(fileURLWithPath: runs).appendingPathComponent(id)
        let run = try #require(fake.runs["run001"])
        #expect(fake.runs.count == 1 && run.experimentID == "1" && run.name == id && run.status == "FINISHED")
        #expect(run.tags["mlflow.source.name"] == "intent train" && run.tags["intentops.run_id"] == id)
        #expect(run.params["seed"] == "5" && run.params["model_kind"] == "ngram" && run.params["learning_rate"] == "0.5")
        #expect(run.params["data.sources"] == "<built-in:intentops-demo-v1>")
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: local.appendingPathComponent("metrics.json"))) as? [String: Double]
        #expect(run.metrics["validation_accuracy"]?.map(\.value) == [try #require(metrics?["validation_accuracy"])])
        #expect(run.metrics["epoch/loss"]?.map(\.step) == Array(1...30), "one point per epoch, the epoch as the step")
        // Every file of the run, with the bundle under model/, and the local record of what was created.
        let files = ["epochs.jsonl", "metrics.json", "model/manifest.json", "model/vocabulary.txt", "model/weights.bin", "report.html", "run.json"]
        #expect(fake.artifacts.keys.sorted() == files.map { "1/run001/artifacts/\($0)" })
        for file in files {
            #expect(fake.artifacts["1/run001/artifacts/\(file)"] == (try Data(contentsOf: local.appendingPathComponent(file))), "\(file)")
        }
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: local.appendingPathComponent("mlflow.json"))) as? [String: Any]
        #expect(record?["run_id"] as? String == "run001" && record?["experiment_id"] as? String == "1")
        let listed = try await IntentProcess.runDetached(["runs", "list", "--runs-dir", runs])
        #expect(listed.stdout.split(separator: "\n").last?.hasSuffix("run001") == true, "\(listed.stdout)")
    }

    @Test("a failing server: the training still succeeds, the MLflow run is marked failed, `intent runs push` retries")
    func failureAndPush() async throws {
        let fake = FakeMLflow()
        fake.fail("runs/log-batch", with: [500])
        // One 503 is retried by itself.
        fake.fail("experiments/get-by-name", with: [503])
        let directory = TestDirectories.make(prefix: "intent-cli")
        let runs = directory.appendingPathComponent("runs").path
        try await fake.serve { uri in
            let environment = ["MLFLOW_TRACKING_URI": uri, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1"]
            let trained = try await IntentProcess.runDetached(
                ["train", "--output", directory.appendingPathComponent("m").path, "--runs-dir", runs, "--quiet"], environment: environment)
            #expect(trained.status == 0, "\(trained.stderr)")
            #expect(trained.stderr.contains("MLflow runs/log-batch: HTTP 500 INTERNAL_ERROR: told to fail"), "\(trained.stderr)")
            #expect(trained.stderr.contains("intent runs push"), "\(trained.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("m/manifest.json").path))
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first)
            #expect(!FileManager.default.fileExists(atPath: "\(runs)/\(id)/mlflow.json"))

            let pushed = try await IntentProcess.runDetached(["runs", "push", id, "--runs-dir", runs], environment: environment)
            #expect(pushed.status == 0 && pushed.stderr.contains("as run run002"), "\(pushed.stderr)")
            let again = try await IntentProcess.runDetached(["runs", "push", id, "--runs-dir", runs], environment: environment)
            #expect(again.status == 0 && again.stderr.contains("already in MLflow as run run002"), "\(again.stderr)")
            let forced = try await IntentProcess.runDetached(["runs", "push", id, "--runs-dir", runs, "--force"], environment: environment)
            #expect(forced.status == 0 && forced.stderr.contains("as run run003"), "\(forced.stderr)")
            let unknown = try await IntentProcess.runDetached(["runs", "push", "nope", "--runs-dir", runs], environment: environment)
            #expect(unknown.status != 0 && unknown.stderr.contains("no run 'nope'"), "\(unknown.stderr)")
            let unset = try await IntentProcess.runDetached(["runs", "push", id, "--runs-dir", runs])
            #expect(unset.status != 0 && unset.stderr.contains("MLFLOW_TRACKING_URI is not set"), "\(unset.stderr)")
        }
        #expect(fake.calls.prefix(2) == ["experiments/get-by-name", "experiments/get-by-name"], "the 503 was retried")
        #expect(fake.runs["run001"]?.status == "FAILED")
        #expect(fake.runs["run002"]?.status == "FINISHED" && fake.runs["run003"]?.status == "FINISHED")
    }

    @Test("an experiment whose artifacts the server does not proxy: refused before anything is logged")
    func unproxiedArtifacts() async throws {
        let fake = FakeMLflow()
        fake.artifactURI = { "s3://bucket/\($0)/\($1)/artifacts" }
        let directory = TestDirectories.make(prefix: "intent-cli")
        try await fake.serve { uri in
            let result = try await IntentProcess.runDetached(
                ["train", "--output", directory.appendingPathComponent("m").path, "--runs-dir", directory.appendingPathComponent("runs").path, "--quiet"],
                environment: ["MLFLOW_TRACKING_URI": uri])
            #expect(result.status == 0 && result.stderr.contains("s3://bucket/1/run001/artifacts"), "\(result.stderr)")
        }
        #expect(!fake.calls.contains("runs/log-batch") && fake.artifacts.isEmpty)
        #expect(fake.runs["run001"]?.status == "FAILED")
    }

    @Test("an unreachable server or a malformed address: what is wrong, and the exit the case calls for")
    func unreachableAndMalformed() async throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let port = try TestPorts.free()
        let result = try await IntentProcess.runDetached(
            ["train", "--output", directory.appendingPathComponent("m").path, "--runs-dir", "none", "--quiet"],
            environment: ["MLFLOW_TRACKING_URI": "http://127.0.0.1:\(port)", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0"])
        #expect(result.status == 0 && result.stderr.contains("cannot reach http://127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(!result.stderr.contains("intent runs push"), "with --runs-dir none there is no local run to push")
        let malformed = try await IntentProcess.runDetached(["train", "--output", directory.appendingPathComponent("n").path, "--quiet"],
                                                           environment: ["MLFLOW_TRACKING_URI": "mlflow:5000"])
        #expect(malformed.status != 0 && malformed.stderr.contains("MLFLOW_TRACKING_URI=mlflow:5000"), "\(malformed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("n").path), "refused before training")
    }

    @Test("intent tune logs the study with one child run per trial")
    func tuneIsLogged() async throws {
        let fake = FakeMLflow()
        let directory = TestDirectories.make(prefix: "intent-cli")
        let space = directory.appendingPathComponent("space.json")
        try #"{"learning_rate": {"log_uniform": [0.2, 1.0]}}"#.write(to: space, atomically: true, encoding: .utf8)
        try await fake.serve { uri in
            let result = try await IntentProcess.runDetached(
                ["tune", "--space", space.path, "--trials", "3", "--output", directory.appendingPathComponent("study").path, "--quiet", "--runs-dir", "none"],
                environment: ["MLFLOW_TRACKING_URI": uri])
            #expect(result.status == 0 && result.stderr.contains("with 3 trial runs"), "\(result.stderr)")
        }
        let parent = try #require(fake.runs.first { $0.value.tags["mlflow.parentRunId"] == nil })
        #expect(parent.value.tags["mlflow.source.name"] == "intent tune" && parent.value.status == "FINISHED")
        let children = fake.runs.values.filter { $0.tags["mlflow.parentRunId"] == parent.key }
        #expect(children.compactMap { $0.tags["intentops.trial"] }.sorted() == ["0", "1", "2"])
        #expect(children.allSatisfy { $0.metrics["validation_accuracy"]?.isEmpty == false })
        #expect(children.filter { $0.tags["intentops.trial"] != "0" }.allSatisfy { $0.params["learning_rate"] != nil })
        #expect(fake.artifacts.keys.contains { $0.hasSuffix("/study.html") } && fake.artifacts.keys.contains { $0.hasSuffix("/model/weights.bin") })
    }
}
