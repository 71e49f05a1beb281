import Foundation
import Testing
import TestSupport

/// The deployer as a user runs it: a live `deployer serve` on 127.0.0.1, a real git remote with
/// annotated tags, signed deliveries over HTTP, and recording fakes for `kubectl` (no Kubernetes API
/// server can run here) and `docker` at the process boundary.
@Suite("Deployer end to end", .serialized)
struct DeployerEndToEndTests {
    init() {
        print("deployer e2e: git and the deployer are real; kubectl and docker are recording fakes on PATH (kubectl kustomize renders the pinned overlays for real when kubectl is installed)")
    }

    /// The production manifests as kustomize rendered them from the deployer's pinned overlay; nil (and
    /// said so) only on a machine without kubectl.
    static func renderedProduction(_ harness: DeployerHarness) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/kubectl") else {
            print("deployer e2e: SKIPPED rendering checks: kubectl is not installed")
            return nil
        }
        return try String(contentsOf: harness.fakeDirectory.appendingPathComponent("rendered-production.yaml"), encoding: .utf8)
    }

    /// The manifests last applied to production (`kubectl apply -f`): rendered at release time, or the
    /// recorded ones a rollback applies again.
    static func appliedProduction(_ harness: DeployerHarness) throws -> String {
        try String(contentsOf: harness.fakeDirectory.appendingPathComponent("applied-production.yaml"), encoding: .utf8)
    }

    /// `promtool check metrics` on an exposition: Prometheus's own linter (names, units, types, help).
    static func checkWithPromtool(_ exposition: String, in directory: URL) throws {
        let promtool = try #require(TestTools.promtool, "CI must check /metrics with promtool (Debian's prometheus package)")
        let file = directory.appendingPathComponent("metrics.txt")
        try exposition.write(to: file, atomically: true, encoding: .utf8)
        let result = try DeployerHarness.run(["sh", "-c", "\"$1\" check metrics < \"$0\"", file.path, promtool])
        #expect(result.status == 0, "promtool: \(result.output)")
    }

    /// The digest the fake docker reports for `reference`.
    static func digest(_ reference: String) throws -> String {
        try DeployerHarness.run(["sh", "-c", "printf %s \"$0\" | sha256sum | cut -c1-64", reference]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("happy path: a signed tag push is tested, built, rolled out to staging then production")
    func happyPath() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v1.0.0")
        let (status, body) = try await harness.deliver(tag: "v1.0.0", object: object, delivery: "delivery-1")
        #expect(status == 202 && body["status"] as? String == "queued")
        let id = try #require(body["job_id"] as? Int)
        #expect(try await harness.waitForJob(id) == "succeeded", "\(harness.logText)")

        let kubectl = harness.recorded("kubectl")
        let order = kubectl.compactMap { line -> String? in
            // apply -f <work>/jobs/<id>/.deployer/<environment>/manifests.yaml
            if line.hasPrefix("apply -f") { return "apply " + (line.split(separator: " ")[2].split(separator: "/").dropLast().last.map(String.init) ?? "?") }
            if line.hasPrefix("rollout status") { return "rollout " + (line.contains("intentops-staging") ? "staging" : "production") }
            return nil
        }
        #expect(order == ["apply staging", "rollout staging", "apply production", "rollout production"])
        let pushes = harness.recorded("docker").filter { $0.hasPrefix("push") }
        #expect(pushes == ["push registry.local/intentops/base:v1.0.0", "push registry.local/intentops/api:v1.0.0"])
        #expect(harness.recorded("docker").contains { $0.contains("BASE_IMAGE=registry.local/intentops/base@sha256:") })
        if let rendered = try Self.renderedProduction(harness) {
            let digest = try Self.digest("registry.local/intentops/api:v1.0.0")
            #expect(rendered.contains("image: registry.local/intentops/api@sha256:\(digest)") && rendered.contains("namespace: intentops"))
        }
        // Fetched from the configured remote only, never the payload's clone_url.
        let origin = try harness.git("config", "remote.origin.url", in: harness.root.appendingPathComponent("work/mirror.git"))
        #expect(origin == harness.remote.path)

        // The API shows every stage; a redelivery changes nothing.
        let detail = try await harness.deployment(id)
        let stages = (detail["stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(stages.contains("quality-gate") && stages.contains("push api") && stages.contains("deploy production"))
        let (again, replay) = try await harness.deliver(tag: "v1.0.0", object: object, delivery: "delivery-1")
        #expect(again == 202 && replay["status"] as? String == "duplicate_delivery")
        let (_, metrics) = try await harness.request("GET", "/metrics")
        #expect(metrics.contains("deployer_jobs_finished_total{outcome=\"succeeded\"} 1"))
        #expect(metrics.contains("deployer_webhook_deliveries_total{result=\"duplicate_delivery\"} 1"))
        #expect(metrics.contains("deployer_stage_duration_seconds_count{stage=\"build\"} 2"))
        #expect(harness.stop() == 0)
    }

    @Test("promtool accepts the deployer's /metrics after a release",
          .enabled(if: TestTools.promtool != nil || TestTools.ci, "needs promtool: apt-get install prometheus (.ci/run installs it)"))
    func metricsPassPromtool() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v1.0.0")
        let (_, body) = try await harness.deliver(tag: "v1.0.0", object: object)
        #expect(try await harness.waitForJob(try #require(body["job_id"] as? Int)) == "succeeded")
        let (_, metrics) = try await harness.request("GET", "/metrics")
        try Self.checkWithPromtool(metrics, in: harness.root)
        #expect(harness.stop() == 0)
    }

    @Test("bad signatures and oversized streamed bodies are refused by the live server")
    func refusals() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v1.0.0")
        let (status, _) = try await harness.deliver(tag: "v1.0.0", object: object, secret: "not-the-secret")
        #expect(status == 401)
        // A chunked body has no declared length: the cap is enforced while streaming.
        let big = harness.root.appendingPathComponent("big.json")
        try Data(repeating: UInt8(ascii: "x"), count: 2 << 20).write(to: big)
        let curl = try DeployerHarness.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
                                            "-H", "X-GitHub-Event: push", "--data-binary", "@\(big.path)", "http://127.0.0.1:\(harness.port)/webhook"])
        #expect(curl.output == "413")
        let (_, list) = try await harness.request("GET", "/api/deployments")
        #expect(list == #"{"deployments":[]}"#)
        #expect(harness.recorded("docker").isEmpty && harness.recorded("kubectl").isEmpty)

        // The README's example: `deployer sign` prints the header, curl sends the delivery.
        let payload = harness.root.appendingPathComponent("payload.json")
        try #"{"ref":"refs/tags/v1.0.0","created":true,"deleted":false,"after":"\#(object)","repository":{"full_name":"acme/intentops"}}"#
            .write(to: payload, atomically: true, encoding: .utf8)
        let readme = try DeployerHarness.run(["sh", "-c", #"""
            sig=$("$0" sign --secret-file "$1" < "$2")
            curl -sS -H "$sig" -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: readme-1" \
                 -H 'Content-Type: application/json' --data-binary @"$2" "http://127.0.0.1:$3/webhook"
            """#, DeployerHarness.executable.path, harness.root.appendingPathComponent("secret").path, payload.path, String(harness.port)])
        #expect(readme.status == 0 && readme.output.contains(#""status":"queued""#), "\(readme.output)")
    }

    @Test("a failing test stage stops the release before anything is pushed")
    func failingGate() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v1.0.0", gate: "fail")
        let (_, body) = try await harness.deliver(tag: "v1.0.0", object: object)
        let id = try #require(body["job_id"] as? Int)
        #expect(try await harness.waitForJob(id) == "failed")
        #expect(harness.recorded("docker").isEmpty && harness.recorded("kubectl").isEmpty)
        let gate = (try await harness.deployment(id)["stages"] as? [[String: Any]] ?? []).last
        #expect(gate?["name"] as? String == "quality-gate" && gate?["exit_code"] as? Int == 3)
        #expect((gate?["log_tail"] as? String)?.contains("quality gate failed: fail") == true)
    }

    @Test("a failed production rollout rolls back to last-known-good and blocks the version")
    func failedRollout() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let first = try harness.tag("v1.0.0")
        let (_, one) = try await harness.deliver(tag: "v1.0.0", object: first)
        #expect(try await harness.waitForJob(try #require(one["job_id"] as? Int)) == "succeeded")
        harness.failRollout(namespace: "intentops")
        let second = try harness.tag("v1.1.0")
        let (_, two) = try await harness.deliver(tag: "v1.1.0", object: second)
        let id = try #require(two["job_id"] as? Int)
        #expect(try await harness.waitForJob(id) == "rolled_back")
        let job = try await harness.deployment(id)["deployment"] as? [String: Any]
        #expect((job?["error"] as? String)?.contains("rollout production") == true)
        // Production runs v1.0.0's digest again: the manifests recorded with v1.0.0 were applied.
        #expect(try Self.appliedProduction(harness).contains(try Self.digest("registry.local/intentops/api:v1.0.0")))
        let (status, blocked) = try await harness.deliver(tag: "v1.1.0", object: second)
        #expect(status == 202 && blocked["status"] as? String == "blocked")
    }

    @Test("two tags racing are released one at a time and the older never replaces the newer")
    func racingTags() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let older = try harness.tag("v1.2.0")
        let newer = try harness.tag("v1.3.0")
        async let a = harness.deliver(tag: "v1.3.0", object: newer)
        async let b = harness.deliver(tag: "v1.2.0", object: older)
        let ids = [try #require(try await a.1["job_id"] as? Int), try #require(try await b.1["job_id"] as? Int)]
        let statuses = [try await harness.waitForJob(ids[0]), try await harness.waitForJob(ids[1])]
        #expect(statuses[0] == "succeeded")
        #expect(statuses[1] == "succeeded" || statuses[1] == "superseded")
        let jobs = try await [harness.deployment(ids[0]), harness.deployment(ids[1])].compactMap { $0["deployment"] as? [String: Any] }
        let intervals = jobs.compactMap { job -> (String, String)? in
            guard let start = job["started_at"] as? String, let end = job["finished_at"] as? String else { return nil }
            return (start, end)
        }.sorted { $0.0 < $1.0 }
        #expect(intervals.count == 2 && intervals[0].1 <= intervals[1].0)  // serialised: no overlap
        let productionApplies = harness.recorded("kubectl").filter { $0.hasPrefix("apply -f") && $0.contains("/production/") }
        #expect(!productionApplies.isEmpty)
        if let rendered = try Self.renderedProduction(harness) {
            #expect(rendered.contains(try Self.digest("registry.local/intentops/api:v1.3.0")))
        }
    }

    @Test("kill -9 during a stage, then restart: the job is finished consistently and released at most once",
          arguments: ["gate", "build", "push", "apply-staging", "apply-production", "rollout-intentops"])
    func killDuringStage(_ step: String) async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v2.0.0")
        harness.hold(step)
        let (_, body) = try await harness.deliver(tag: "v2.0.0", object: object)
        let id = try #require(body["job_id"] as? Int)
        try await harness.waitUntilAt(step)
        harness.killHard()
        harness.release(step)
        try await harness.start()
        let status = try await harness.waitForJob(id)
        let touchedEnvironment = step.hasPrefix("apply") || step.hasPrefix("rollout")
        #expect(status == (touchedEnvironment ? "rolled_back" : "succeeded"), "\(harness.logText)")
        let (_, list) = try await harness.request("GET", "/api/deployments")
        #expect(list.components(separatedBy: "\"tag\":\"v2.0.0\"").count - 1 == 1)  // one job, never two
        let productionApplies = harness.recorded("kubectl").filter { $0.hasPrefix("apply -f") && $0.contains("/production/") }
        #expect(productionApplies.count == (step == "rollout-intentops" || step == "apply-production" || !touchedEnvironment ? 1 : 0))
        let (_, detail) = try await harness.request("GET", "/api/deployments/\(id)")
        if !touchedEnvironment { #expect(detail.contains("\"status\":\"interrupted\"")) }
        #expect(harness.stop() == 0)
    }

    @Test("SIGTERM during a rollout: exit 0 within the stop timeout, and the next start resumes the release instead of rolling it back",
          arguments: ["rollout-intentops-staging", "apply-production"])
    func gracefulStopDuringRollout(_ step: String) async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let object = try harness.tag("v2.0.0")
        harness.hold(step)
        let (_, body) = try await harness.deliver(tag: "v2.0.0", object: object)
        let id = try #require(body["job_id"] as? Int)
        try await harness.waitUntilAt(step)
        let clock = ContinuousClock()
        var status: Int32 = -1
        let elapsed = clock.measure { status = harness.stop() }
        // The held stage outlives the 2 s stop timeout: its command is killed, the job is put back.
        #expect(status == 0, "\(harness.logText)")
        #expect(elapsed < .seconds(10), "stopped after \(elapsed)")
        harness.release(step)
        try await harness.start()
        #expect(try await harness.waitForJob(id) == "succeeded", "\(harness.logText)")
        let kubectl = harness.recorded("kubectl")
        #expect(!kubectl.contains { $0.hasPrefix("rollout undo") }, "rolled back: \(kubectl)")
        #expect(kubectl.filter { $0.hasPrefix("apply -f") && $0.contains("/production/") }.count == (step == "apply-production" ? 2 : 1))
        // Built once: the resumed release kept its pinned images.
        #expect(harness.recorded("docker").filter { $0.hasPrefix("build") }.count == 2)
        let (_, list) = try await harness.request("GET", "/api/deployments")
        #expect(list.components(separatedBy: "\"tag\":\"v2.0.0\"").count - 1 == 1)
        #expect(harness.stop() == 0)
    }
}
