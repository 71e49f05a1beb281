import Foundation
import Testing
@testable import DeployerCore

@Suite("Release pipeline")
struct ReleasePipelineTests {
    @Test("happy path: tests, images pinned by digest, staging then production, each smoke-checked")
    func happyPath() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "succeeded")
        let steps = harness.runner.commands.map { argv in argv.prefix(3).joined(separator: " ") }
        let expected = ["git clone --mirror", "swift test", "scripts/model-gate.sh 0.9", "docker build --file", "docker push registry.local/intentops/base:v1.0.0",
                        "docker build --file", "docker push registry.local/intentops/api:v1.0.0", "kubectl kustomize", "kubectl apply -f", "kubectl rollout status", "kubectl kustomize", "kubectl apply -f"]
        var cursor = steps.startIndex
        for step in expected {
            guard let found = steps[cursor...].firstIndex(where: { $0.hasPrefix(step) }) else { Issue.record("missing step \(step) in \(steps)"); return }
            cursor = found + 1
        }
        // The api image is built FROM the base image's digest, and the overlays pin digests.
        #expect(harness.commands("docker", "build", "BASE=registry.local/intentops/base@sha256:").count == 1)
        let kustomization = try String(contentsOfFile: harness.configuration.workDirectory + "/jobs/1/.deployer/production/kustomization.yaml", encoding: .utf8)
        #expect(kustomization.contains("digest: \"sha256:") && kustomization.contains("../../deploy/k8s/overlays/production"))
        #expect(harness.smoke.urls == ["http://staging.local/healthz", "http://prod.local/healthz"])
        #expect(try await harness.store.lastKnownGood(environment: "production")?.tag == "v1.0.0")
        // Every command is an argv with no shell in between.
        #expect(!harness.runner.commands.contains { ["sh", "bash", "/bin/sh"].contains($0[0]) })
    }

    @Test("a failing test stage stops the release before any image is built or pushed")
    func failingTestStage() async throws {
        let harness = try PipelineHarness()
        harness.world.fail(when: "model-gate")
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "failed")
        #expect(harness.commands("docker").isEmpty && harness.commands("kubectl").isEmpty)
        let stages = try #require(try await harness.store.job(id: 1)).stages
        #expect(stages.last?.name == "model-gate" && stages.last?.exitCode == 1 && stages.last?.logTail?.contains("simulated failure") == true)
    }

    @Test("a failed production rollout rolls back every environment it updated and blocks the version")
    func failedRolloutRollsBack() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        let good = try #require(try await harness.store.lastKnownGood(environment: "production"))
        // Production's rollout check fails once: for the new release, not for the rollback.
        harness.world.fail(when: "--namespace intentops --timeout", times: 1)
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.1.0") == "rolled_back")
        #expect(try await harness.store.lastKnownGood(environment: "production") == good)
        #expect(try await harness.store.lastKnownGood(environment: "staging")?.tag == "v1.0.0")
        let stages = try #require(try await harness.store.job(id: 2)).stages.map(\.name)
        #expect(stages.contains("rollback production") && stages.contains("rollback staging"))
        #expect(try await harness.store.jobs().first?.error?.contains("rollout production") == true)
        // The version is blocked: a new delivery of it is refused.
        let again = try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"), delivery: "redelivered-later")
        guard case .blockedVersion = again else { Issue.record("expected blockedVersion, got \(again)"); return }
    }

    @Test("a failed staging smoke check rolls staging back and never touches production")
    func failedSmoke() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        let productionApplies = harness.commands("kubectl", "apply", "production").count
        harness.smoke.fail("http://staging.local/healthz", times: 3)
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.1.0") == "rolled_back")
        #expect(harness.commands("kubectl", "apply", "production").count == productionApplies)
        #expect(try await harness.store.lastKnownGood(environment: "staging")?.tag == "v1.0.0")
    }

    @Test("when the rollback fails too, the job ends rollback_failed for a person to act, apart from a plain failure")
    func failedRollback() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        harness.world.fail(when: "--namespace intentops --timeout")
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.1.0") == "rollback_failed")
        #expect(try await harness.store.finishedJobCounts()["rollback_failed"] == 1)
    }

    @Test("a first release with no earlier one rolls back with kubectl rollout undo")
    func rollbackWithoutHistory() async throws {
        let harness = try PipelineHarness()
        harness.world.fail(when: "--namespace intentops-staging --timeout", times: 1)
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "rolled_back")
        #expect(harness.commands("kubectl", "rollout", "undo").first == ["kubectl", "rollout", "undo", "deployment/intent-api", "--namespace", "intentops-staging"])
    }

    @Test("an interrupted job is resumed when nothing was deployed, rolled back when something was, and never run twice")
    func recovery() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        // A job killed during its tests: claimed, one stage open.
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        let testing = try #require(try await harness.store.claimNextJob())
        _ = try await harness.store.startStage(jobID: testing.id, name: "unit-tests")
        try await harness.worker.recoverInterruptedJobs()
        #expect(try await harness.status("v1.1.0") == "queued")
        await harness.worker.drain()
        #expect(try await harness.status("v1.1.0") == "succeeded")
        let interruptedStages = try #require(try await harness.store.job(id: testing.id)).stages.filter { $0.status == "interrupted" }
        #expect(interruptedStages.count == 1)

        // A job killed during its production rollout: staging already runs it.
        try await harness.queue("v1.2.0", commit: PipelineHarness.sha("c"))
        let deploying = try #require(try await harness.store.claimNextJob())
        try await harness.store.setLastKnownGood(environment: "staging", LastKnownGood(jobID: deploying.id, tag: "v1.2.0", commit: PipelineHarness.sha("c"), images: [:]))
        _ = try await harness.store.startStage(jobID: deploying.id, name: "deploy staging", environment: "staging")
        _ = try await harness.store.startStage(jobID: deploying.id, name: "deploy production", environment: "production")
        let buildsBefore = harness.commands("docker", "build").count
        try await harness.worker.recoverInterruptedJobs()
        await harness.worker.drain()
        #expect(try await harness.status("v1.2.0") == "rolled_back")
        #expect(try await harness.store.lastKnownGood(environment: "staging")?.tag == "v1.1.0")
        #expect(try await harness.store.lastKnownGood(environment: "production")?.tag == "v1.1.0")
        #expect(harness.commands("docker", "build").count == buildsBefore)  // not released a second time
        try await harness.worker.recoverInterruptedJobs()
        #expect(try await harness.store.interruptedJobs().isEmpty)
    }

    @Test("an annotated tag is released at its commit whether the payload names the tag object or the commit")
    func annotatedTag() async throws {
        let harness = try PipelineHarness()
        let commit = PipelineHarness.sha("d"), tagObject = PipelineHarness.sha("f")
        try await harness.queue("v2.0.0", commit: tagObject)
        try await harness.queue("v2.1.0", commit: commit)
        harness.world.set(tag: "v2.1.0", commit: PipelineHarness.sha("9"))
        harness.world.peeled = ["v2.0.0": commit, "v2.1.0": commit]
        await harness.worker.drain()
        #expect(try await harness.status("v2.0.0") == "succeeded")
        #expect(try await harness.status("v2.1.0") == "succeeded")
        #expect(try await harness.store.jobs().allSatisfy { $0.commit == commit })
        #expect(harness.commands("git", "checkout", commit).count == 2)
    }

    @Test("an older tag arriving after a newer one is never deployed over it")
    func racingTags() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.2.0", commit: PipelineHarness.sha("c"))
        try await harness.queue("v1.1.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.2.0") == "succeeded")
        #expect(try await harness.status("v1.1.0") == "superseded")
        #expect(try await harness.store.lastKnownGood(environment: "production")?.tag == "v1.2.0")
        #expect(harness.commands("kubectl", "apply").count == 2)
    }

    @Test("a tag moved to another commit after the push is refused before anything is built")
    func movedTag() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        harness.world.set(tag: "v1.0.0", commit: PipelineHarness.sha("e"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.0.0") == "failed")
        #expect(try await harness.store.jobs().first?.error?.contains("now points to") == true)
        #expect(harness.commands("docker").isEmpty && harness.commands("swift").isEmpty)
    }

    @Test("every command is told to redact the webhook secrets and the remote's password")
    func redactions() async throws {
        let harness = try PipelineHarness(remote: "https://bot:t0ken%2Fvalue@git.example.com/acme/intentops.git", secrets: [Array("webhook-secret-1".utf8)])
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        let commands = harness.runner.shellCommands
        #expect(!commands.isEmpty)
        #expect(commands.allSatisfy { Set($0.secrets).isSuperset(of: ["webhook-secret-1", "t0ken%2Fvalue", "t0ken/value"]) })
        let clone = try #require(commands.first)
        #expect(!clone.displayString.contains("t0ken") && clone.redact("fatal: https://bot:t0ken/value@host") == "fatal: https://bot:[REDACTED]@host")
    }
}
