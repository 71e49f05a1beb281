import Crypto
import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talking to the live deployer, its fakes and its processes.
extension DeployerHarness {
    // MARK: - HTTP

    /// One HTTP request to the deployer; returns the status and the body.
    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws -> (Int, String) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw HarnessError.command("bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A GitHub tag push for `tag` pointing at `object`, signed with the deployer's secret.
    func deliver(tag: String, object: String, delivery: String = UUID().uuidString, secret: String? = nil) async throws -> (Int, [String: Any]) {
        let payload: [String: Any] = [
            "ref": "refs/tags/\(tag)", "before": String(repeating: "0", count: 40), "after": object, "created": true, "deleted": false,
            "repository": ["full_name": "acme/intentops", "clone_url": "https://attacker.example.com/evil.git"],
        ]
        let body = try JSONSerialization.data(withJSONObject: payload)
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data((secret ?? self.secret).utf8)))
        let signature = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        let (status, text) = try await request("POST", "/webhook", headers: [
            "Content-Type": "application/json", "X-GitHub-Event": "push", "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": signature,
        ], body: body)
        return (status, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:])
    }

    /// The job as `GET /api/deployments/{id}` shows it.
    func deployment(_ id: Int, headers: [String: String]? = nil) async throws -> [String: Any] {
        let (_, text) = try await request("GET", "/api/deployments/\(id)", headers: headers ?? adminHeaders)
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Waits (up to 120 s) until job `id` is no longer queued or running; returns its status.
    func waitForJob(_ id: Int) async throws -> String {
        for _ in 0..<2400 {
            let job = try await deployment(id)["deployment"] as? [String: Any]
            if let status = job?["status"] as? String, status != "queued", status != "running" { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError.command("job \(id) did not finish within 120 s: \(logText)")
    }

    // MARK: - Fakes

    func hold(_ step: String) { _ = FileManager.default.createFile(atPath: fakeDirectory.appendingPathComponent("hold-\(step)").path, contents: nil) }
    func release(_ step: String) { try? FileManager.default.removeItem(at: fakeDirectory.appendingPathComponent("hold-\(step)")) }

    /// Waits (up to 60 s) until a held step is reached.
    func waitUntilAt(_ step: String) async throws {
        let marker = fakeDirectory.appendingPathComponent("at-\(step)").path
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: marker) {
                try? FileManager.default.removeItem(atPath: marker)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError.command("step \(step) was never reached: \(logText)")
    }

    /// Makes the next `count` rollout checks in `namespace` fail.
    func failRollout(namespace: String, count: Int = 1) {
        for index in 0..<count {
            _ = FileManager.default.createFile(atPath: fakeDirectory.appendingPathComponent("fail-rollout-\(namespace)-\(index)").path, contents: nil)
        }
    }

    /// Lines a fake tool recorded.
    func recorded(_ tool: String) -> [String] {
        ((try? String(contentsOf: fakeDirectory.appendingPathComponent("\(tool).log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    // MARK: - Helpers

    /// Runs `executable` (by default `/usr/bin/env`, which finds argv[0] on PATH) to its end.
    static func run(_ argv: [String], executable: URL = URL(fileURLWithPath: "/usr/bin/env"),
                    environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = argv
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return (try process.waitForExit(), String(decoding: data, as: UTF8.self))
    }
}
