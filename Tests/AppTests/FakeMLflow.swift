import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// An in-process stand-in for `mlflow server`'s REST API: it keeps what it is sent and can be told to fail
/// a call, so the tests can check what IntentOps logs and what it does when the server misbehaves.
final class FakeMLflow: @unchecked Sendable {
    struct Run {
        var experimentID: String
        var name: String
        var tags: [String: String]
        var params: [String: String] = [:]
        /// key -> [(step, value)] in the order logged.
        var metrics: [String: [(step: Int, value: Double)]] = [:]
        var status = "RUNNING"
    }

    private let lock = NSLock()
    private var experiments: [String: String] = [:]
    private(set) var runs: [String: Run] = [:]
    private(set) var artifacts: [String: Data] = [:]
    private(set) var calls: [String] = []
    /// Call name (for example `runs/log-batch`) -> statuses to answer with, one per call, before answering normally.
    private var failures: [String: [Int]] = [:]
    /// The artifact URI runs get: the server's proxied store unless a test sets another.
    var artifactURI: @Sendable (_ experiment: String, _ run: String) -> String = { "mlflow-artifacts:/\($0)/\($1)/artifacts" }

    func fail(_ call: String, with statuses: [Int]) { locked { failures[call] = statuses } }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Serves on a free 127.0.0.1 port while `body` runs, with the base URL to give MLFLOW_TRACKING_URI.
    func serve(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("api/2.0/mlflow/experiments/get-by-name") { request, _ in
            try self.answer("experiments/get-by-name") {
                let name = request.uri.queryParameters["experiment_name"].map(String.init) ?? ""
                guard let id = self.experiments[name] else {
                    return (404, ["error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Could not find experiment with name '\(name)'"])
                }
                return (200, ["experiment": ["experiment_id": id, "name": name]])
            }
        }
        router.post("api/2.0/mlflow/experiments/create") { request, _ in
            let json = try await Self.json(request)
            return try self.answer("experiments/create") {
                let name = json["name"] as? String ?? ""
                let id = String(self.experiments.count + 1)
                self.experiments[name] = id
                return (200, ["experiment_id": id])
            }
        }
        router.post("api/2.0/mlflow/runs/create") { request, _ in
            let json = try await Self.json(request)
            return try self.answer("runs/create") {
                let id = String(format: "run%03d", self.runs.count + 1)
                let experiment = json["experiment_id"] as? String ?? ""
                let tags = Dictionary((json["tags"] as? [[String: String]] ?? []).map { ($0["key"] ?? "", $0["value"] ?? "") }) { $1 }
                self.runs[id] = Run(experimentID: experiment, name: json["run_name"] as? String ?? "", tags: tags)
                return (200, ["run": ["info": ["run_id": id, "artifact_uri": self.artifactURI(experiment, id)]]])
            }
        }
        router.post("api/2.0/mlflow/runs/log-batch") { request, _ in
            let json = try await Self.json(request)
            return try self.answer("runs/log-batch") {
                let id = json["run_id"] as? String ?? ""
                guard self.runs[id] != nil else { return (404, ["error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no run \(id)"]) }
                for param in json["params"] as? [[String: Any]] ?? [] {
                    self.runs[id]?.params[param["key"] as? String ?? ""] = param["value"] as? String
                }
                for tag in json["tags"] as? [[String: Any]] ?? [] {
                    self.runs[id]?.tags[tag["key"] as? String ?? ""] = tag["value"] as? String
                }
                for metric in json["metrics"] as? [[String: Any]] ?? [] {
                    let key = metric["key"] as? String ?? ""
                    self.runs[id]?.metrics[key, default: []].append((metric["step"] as? Int ?? -1, (metric["value"] as? NSNumber)?.doubleValue ?? .nan))
                }
                return (200, [:])
            }
        }
        router.post("api/2.0/mlflow/runs/update") { request, _ in
            let json = try await Self.json(request)
            return try self.answer("runs/update") {
                let id = json["run_id"] as? String ?? ""
                self.runs[id]?.status = json["status"] as? String ?? "?"
                return (200, [:])
            }
        }
        router.put("api/2.0/mlflow-artifacts/artifacts/**") { request, context in
            let bytes = try await request.body.collect(upTo: 64 << 20)
            return try self.answer("mlflow-artifacts/artifacts") {
                self.artifacts[context.parameters.getCatchAll().joined(separator: "/")] = Data(bytes.readableBytesView)
                return (200, [:])
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw FakeMLflowError.noPort }
            try await body("http://127.0.0.1:\(port)")
        }
    }

    private static func json(_ request: Request) async throws -> [String: Any] {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
    }

    private func answer(_ call: String, _ handle: () -> (Int, [String: Any])) throws -> Response {
        let (status, object) = locked { () -> (Int, [String: Any]) in
            calls.append(call)
            if var queued = failures[call], !queued.isEmpty {
                let status = queued.removeFirst()
                failures[call] = queued
                return (status, ["error_code": "INTERNAL_ERROR", "message": "told to fail"])
            }
            return handle()
        }
        let data = try JSONSerialization.data(withJSONObject: object)
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

enum FakeMLflowError: Error { case noPort }
