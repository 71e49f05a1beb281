import Foundation
import Testing

/// Operators' actions on a live deployer: the admin API and the CLI while it serves, and the CLI alone.
extension DeployerEndToEndTests {
    @Test("while deployer serve runs: a failed release is retried and an environment rolled back through the authenticated admin API and the CLI, without stopping the receiver")
    func adminWhileServing() async throws {
        let harness = try DeployerHarness(adminToken: "admin-token-0123456789")
        try await harness.start()
        let v1 = try harness.tag("v1.0.0")
        let (_, first) = try await harness.deliver(tag: "v1.0.0", object: v1)
        #expect(try await harness.waitForJob(try #require(first["job_id"] as? Int)) == "succeeded")
        // v1.1.0 fails its gate, is mended on the remote side and retried without a new tag.
        let v11 = try harness.tag("v1.1.0", gate: "fail")
        let (_, second) = try await harness.deliver(tag: "v1.1.0", object: v11)
        #expect(try await harness.waitForJob(try #require(second["job_id"] as? Int)) == "failed")
        let (anonymous, _) = try await harness.request("POST", "/api/retry", body: Data(#"{"tag": "v1.1.0"}"#.utf8))
        #expect(anonymous == 401)
        let (listed, _) = try await harness.request("GET", "/api/deployments")
        #expect(listed == 401)
        let bearer = ["Authorization": "Bearer admin-token-0123456789", "Content-Type": "application/json"]
        // The gate fails at the tagged commit, so the retry fails again: attempts are counted.
        let (retried, retryBody) = try await harness.request("POST", "/api/retry", headers: bearer, body: Data(#"{"tag": "v1.1.0"}"#.utf8))
        #expect(retried == 202, "\(retryBody)")
        let retryJob = try #require((try? JSONSerialization.jsonObject(with: Data(retryBody.utf8)) as? [String: Any])?["job_id"] as? String)
        #expect(try await harness.waitForJob(try #require(Int(retryJob))) == "failed")
        let detail = try await harness.deployment(try #require(Int(retryJob)), headers: bearer)
        #expect((detail["deployment"] as? [String: Any])?["attempt"] as? Int == 2)
        // v1.2.0 is released, then rolled back from the command line while the server runs (it was
        // refused before): queued, run by the server's worker, the CLI waiting for the outcome.
        let v12 = try harness.tag("v1.2.0")
        let (_, third) = try await harness.deliver(tag: "v1.2.0", object: v12)
        #expect(try await harness.waitForJob(try #require(third["job_id"] as? Int)) == "succeeded")
        let rollback = try harness.cli(["rollback", "--config", harness.configPath, "production", "--reason", "paging"])
        #expect(rollback.status == 0 && rollback.output.contains("production runs v1.0.0 again"), "\(rollback.output)")
        let (blocked, blockedBody) = try await harness.request("GET", "/api/blocked", headers: bearer)
        #expect(blocked == 200 && blockedBody.contains("v1.2.0"), "\(blockedBody)")
        // The same actions from another machine: the CLI through the admin API (--server), with no state.
        let tokenFile = harness.root.appendingPathComponent("admin-token").path
        let remote = ["--server", "http://127.0.0.1:\(harness.port)", "--admin-token-file", tokenFile]
        let wrongToken = harness.root.appendingPathComponent("wrong-token").path
        try "not-the-admin-token-at-all".write(toFile: wrongToken, atomically: true, encoding: .utf8)
        let refused = try harness.cli(["retry", "--server", "http://127.0.0.1:\(harness.port)", "--admin-token-file", wrongToken, "v1.1.0"])
        #expect(refused.status == 1 && refused.output.contains("refused (401"), "\(refused.output)")
        let remoteRetry = try harness.cli(["retry"] + remote + ["v1.1.0"])
        #expect(remoteRetry.status == 1 && remoteRetry.output.contains("v1.1.0: failed"), "\(remoteRetry.output)")
        let v13 = try harness.tag("v1.3.0")
        let (_, fourth) = try await harness.deliver(tag: "v1.3.0", object: v13)
        #expect(try await harness.waitForJob(try #require(fourth["job_id"] as? Int)) == "succeeded")
        let remoteRollback = try harness.cli(["rollback"] + remote + ["production", "--reason", "remote"])
        #expect(remoteRollback.status == 0 && remoteRollback.output.contains("production runs v1.0.0 again"), "\(remoteRollback.output)")
        let remoteUnblock = try harness.cli(["unblock"] + remote + ["v1.3.0"])
        #expect(remoteUnblock.status == 0 && remoteUnblock.output.contains("no longer marked bad"), "\(remoteUnblock.output)")
        let neither = try harness.cli(["rollback", "production"])
        #expect(neither.status != 0 && neither.output.contains("--server URL --admin-token-file F"), "\(neither.output)")
        let (health, _) = try await harness.request("GET", "/healthz")
        #expect(health == 200)
        #expect(harness.stop() == 0)
    }

    @Test("deployer deploy and deployer rollback from the command line, through the same pipeline")
    func manualCommands() async throws {
        let harness = try DeployerHarness(smoke: false)
        try harness.tag("v1.0.0")
        try harness.tag("v1.1.0")
        let first = try harness.cli(["deploy", "--config", harness.configPath, "v1.0.0"])
        #expect(first.status == 0 && first.output.contains("v1.0.0: succeeded"), "\(first.output)")
        let second = try harness.cli(["deploy", "--config", harness.configPath, "v1.1.0"])
        #expect(second.status == 0, "\(second.output)")
        let again = try harness.cli(["deploy", "--config", harness.configPath, "v1.1.0"])
        #expect(again.status == 1 && again.output.contains("already has release job"))
        let invalid = try harness.cli(["deploy", "--config", harness.configPath, "--", "--upload-pack=touch"])
        #expect(invalid.status != 0 && invalid.output.contains("does not match the release pattern"))
        #expect(harness.recorded("docker").filter { $0.hasPrefix("push") }.count == 4)

        let rollback = try harness.cli(["rollback", "--config", harness.configPath, "production"])
        #expect(rollback.status == 0 && rollback.output.contains("production runs v1.0.0 again"), "\(rollback.output)")
        #expect(try Self.appliedProduction(harness).contains(try Self.digest("registry.local/intentops/api:v1.0.0")))
        let unknown = try harness.cli(["rollback", "--config", harness.configPath, "qa"])
        #expect(unknown.status != 0 && unknown.output.contains("no environment 'qa'"))
        let history = try harness.cli(["history", "--config", harness.configPath, "--json"])
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]])
        // The rollback is a job of its own in the history, by an operator.
        #expect(jobs.compactMap { $0["tag"] as? String } == ["rollback production", "v1.1.0", "v1.0.0"])
        #expect(jobs.first?["kind"] as? String == "rollback")
        // With a server holding the state, deploy only queues.
        try await harness.start()
        try harness.tag("v1.2.0")
        let queued = try harness.cli(["deploy", "--config", harness.configPath, "v1.2.0"])
        #expect(queued.status == 0 && queued.output.contains("queued as job 4"), "\(queued.output)")
        #expect(try await harness.waitForJob(4) == "succeeded")
        #expect(harness.stop() == 0)
    }
}
