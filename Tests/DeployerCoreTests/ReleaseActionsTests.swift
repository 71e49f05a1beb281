import Foundation
import Testing
@testable import DeployerCore

/// A release over its whole life: tried again after a failure, blocked and unblocked, stopped gracefully
/// and resumed, refused before building when it is older than what runs.
@Suite("Release retries, stops and outcomes")
struct ReleaseActionsTests {
    @Test("a failed release is retried to success without a new tag: by redelivery, by a new delivery, or by retry; attempts are numbered")
    func retries() async throws {
        let harness = try PipelineHarness()
        harness.world.fail(when: "model-gate", times: 1)
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"), delivery: "hook-1")
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "failed")
        // The forge's Redeliver button repeats the delivery id: the tag is tried again.
        let redelivered = try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"), delivery: "hook-1")
        guard case .queued = redelivered else {
            Issue.record("a redelivery of a failed tag was \(redelivered)")
            return
        }
        await harness.worker.drain()
        let attempts = try await harness.store.jobs().filter { $0.tag == "v1.0.0" }
        #expect(attempts.map(\.attempt) == [2, 1])
        #expect(attempts.map(\.status) == ["succeeded", "failed"])
        // Released now: a further delivery or retry does nothing.
        #expect(try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"), delivery: "hook-2") == .duplicateRelease(jobID: attempts[0].id))
        await #expect(throws: ActionError.notRetryable(tag: "v1.0.0", status: "succeeded")) {
            try await harness.store.retry(repository: "acme/intentops", tag: "v1.0.0")
        }
        // A new delivery id for a failed tag, and an operator's retry by job id, queue attempts too.
        harness.world.fail(when: "model-gate", times: 2)
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"), delivery: "hook-3")
        await harness.worker.drain()
        guard case .queued = try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"), delivery: "hook-4") else {
            Issue.record("a new delivery of a failed tag was not queued")
            return
        }
        await harness.worker.drain()
        let failed = try #require(try await harness.store.jobs().first { $0.tag == "v1.1.0" })
        #expect(failed.status == "failed" && failed.attempt == 2)
        let third = try await harness.store.retry(jobID: failed.id, repository: "acme/intentops", tag: nil)
        await harness.worker.drain()
        #expect(try await harness.store.job(id: third)?.job.status == "succeeded")
        #expect(try await harness.store.job(id: third)?.job.attempt == 3)
    }

    @Test("a version marked bad is refused until it is unblocked")
    func blockedUntilUnblocked() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        harness.smoke.fail("http://prod.local/healthz", times: 3)
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.1.0") == "rolled_back")
        guard case .blockedVersion = try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"), delivery: "again") else {
            Issue.record("a bad-marked version was not refused")
            return
        }
        await #expect(throws: ActionError.self) { try await harness.store.retry(repository: "acme/intentops", tag: "v1.1.0") }
        try await harness.store.unblock(repository: "acme/intentops", tag: "v1.1.0")
        await #expect(throws: ActionError.notBlocked(tag: "v1.1.0")) { try await harness.store.unblock(repository: "acme/intentops", tag: "v1.1.0") }
        // Unblocked, a rolled-back release is still not retried by itself: only a failed one is.
        await #expect(throws: ActionError.notRetryable(tag: "v1.1.0", status: "rolled_back")) {
            try await harness.store.retry(repository: "acme/intentops", tag: "v1.1.0")
        }
    }

    @Test("a graceful stop during a rollout leaves the job resumable: the restart finishes it without rolling back, building again or touching staging again")
    func gracefulStopResumes() async throws {
        let harness = try PipelineHarness()
        let worker = harness.worker
        let stop = harness.pipeline.stop
        // SIGTERM arrives while production is applied (staging is done): that stage finishes, no other starts.
        harness.world.onCommand = { line in
            if line.hasPrefix("kubectl apply") && line.hasSuffix("--namespace intentops") { stop.request() }
        }
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await worker.drain()
        harness.world.onCommand = nil
        let stopped = try #require(try await harness.store.jobs().first)
        #expect(stopped.status == "queued", "the stopped job is \(stopped.status)")
        #expect(try await harness.store.lastKnownGood(environment: "staging")?.jobID == stopped.id)
        #expect(harness.commands("kubectl", "apply", "production").count == 1)
        #expect(harness.commands("rollout", "status", "--namespace", "intentops").filter { !$0.contains("intentops-staging") }.isEmpty)
        let builds = harness.commands("docker", "build").count
        let stagingApplies = harness.commands("kubectl", "apply", "staging").count
        // The restart: the job resumes after its build and from production.
        let restarted = harness.restarted()
        try await restarted.recoverInterruptedJobs()
        await restarted.drain()
        #expect(try await harness.status("v1.0.0") == "succeeded")
        #expect(harness.commands("docker", "build").count == builds, "built again on resume")
        #expect(harness.commands("kubectl", "apply", "staging").count == stagingApplies, "staging rolled out again")
        #expect(harness.commands("rollout", "undo").isEmpty)
        #expect(harness.commands("kubectl", "apply", "production").count == 2, "production is applied again: it was stopped before its rollout was confirmed")
        #expect(try await harness.store.lastKnownGood(environment: "production")?.jobID == stopped.id)
    }

    @Test("an older tag than the one running is refused before anything is built or pushed")
    func supersededBeforeBuild() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        let builds = harness.commands("docker", "build").count
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "superseded")
        #expect(harness.commands("docker", "build").count == builds)
        #expect(harness.commands("docker", "push", "v1.0.0").isEmpty)
    }

    @Test("finished jobs are counted from the state, whatever finished them, and rollback_failed is its own outcome")
    func outcomesCounted() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        harness.world.fail(when: "model-gate", times: 1)
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        // A second pipeline (another process: deployer deploy) finishes a job too.
        try await harness.queue("v1.2.0", commit: PipelineHarness.sha("c"))
        await harness.restarted().drain()
        let counts = try await harness.store.finishedJobCounts()
        #expect(counts == ["succeeded": 2, "failed": 1])
        let exposition = DeployerMetrics().exposition(finishedJobs: counts)
        #expect(exposition.contains(#"deployer_jobs_finished_total{outcome="succeeded"} 2"#))
    }

    @Test("a smoke check that fails a few times and then answers is not an unhealthy release; every attempt is in the stage log")
    func smokeRetries() async throws {
        let harness = try PipelineHarness()
        harness.smoke.fail("http://staging.local/healthz", times: 2)
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "succeeded")
        let job = try #require(try await harness.store.jobs().first)
        let smoke = try #require(try await harness.store.job(id: job.id)?.stages.first { $0.name == "deploy smoke staging" })
        #expect(smoke.logTail?.components(separatedBy: "\n").count == 3, "\(smoke.logTail ?? "")")
        #expect(harness.smoke.urls.filter { $0.contains("staging") }.count == 3)
    }

    @Test("tags with digits of other scripts are not releases, whatever the pattern")
    func asciiTags() throws {
        let policy = try WebhookPolicy(configuration: {
            var configuration = DeployerConfiguration(repositories: ["a/b"], remote: "/x", secretFiles: [])
            configuration.secrets = [Array("0123456789abcdef".utf8)]
            return configuration
        }())
        for tag in ["v\u{661}.\u{660}.\u{660}", "v1.0.0\u{FF10}", "v\u{1D7CF}.0.0"] {
            #expect(!policy.matches(tag: tag) || !WebhookPolicy.isSafeRefName(tag), "\(tag) passes")
            #expect(!WebhookPolicy.isSafeRefName(tag))
        }
        #expect(policy.matches(tag: "v1.0.0") && WebhookPolicy.isSafeRefName("v1.0.0"))
    }

    @Test("each environment's kubectl commands name its context and namespace; docker build gets the configured flags")
    func contextsAndFlags() async throws {
        var harness = try PipelineHarness()
        var configuration = harness.configuration
        configuration.environments[1].kubeContext = "prod-cluster"
        configuration.dockerBuildFlags = ["--network", "host"]
        configuration.images[1].buildFlags = ["--pull=false"]
        harness = try PipelineHarness(configuration: configuration)
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "succeeded")
        let production = harness.runner.commands.filter { $0.first == "kubectl" && $0.contains("intentops") }
        #expect(!production.isEmpty && production.allSatisfy { $0.suffix(2) == ["--context", "prod-cluster"] }, "\(production)")
        let staging = harness.runner.commands.filter { $0.first == "kubectl" && $0.contains("intentops-staging") }
        #expect(!staging.isEmpty && staging.allSatisfy { !$0.contains("--context") })
        let applies = harness.commands("kubectl", "apply")
        #expect(applies.allSatisfy { $0.contains("--namespace") })
        let builds = harness.commands("docker", "build")
        #expect(builds.count == 2 && builds.allSatisfy { Array($0[2...3]) == ["--network", "host"] })
        #expect(builds[1].contains("--pull=false") && !builds[0].contains("--pull=false"))
    }
}
