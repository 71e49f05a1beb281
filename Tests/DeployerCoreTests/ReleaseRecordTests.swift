import Foundation
import Testing
@testable import DeployerCore

/// Rollbacks from the release record alone (D17), pruning past `keep_releases`, and one repository per
/// deployer (D4).
@Suite("Release records, pruning, one repository")
struct ReleaseRecordTests {
    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test("a rollback applies the manifests recorded with the earlier release, with its checkout gone")
    func rollbackFromRecord() async throws {
        let harness = try PipelineHarness()
        // Tags of different lengths get different fake digests.
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        let recorded = try #require(try await harness.store.releaseHistory(environment: "staging", repository: "acme/intentops").first?.manifests)
        #expect(recorded.contains("digest: \"sha256:") && recorded.contains("deploy/k8s/overlays/staging"))
        // The first release's checkout is gone, as after pruning.
        try FileManager.default.removeItem(atPath: harness.configuration.workDirectory + "/jobs/1")

        harness.smoke.fail("http://staging.local/healthz", times: 3)
        try await harness.queue("v1.10.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        #expect(try await harness.status("v1.10.0") == "rolled_back")
        // The rollback applied the recorded text of v1.0.0, not v1.10.0's overlay.
        let file = harness.configuration.workDirectory + "/rollbacks/staging/manifests.yaml"
        #expect(Self.read(file) == recorded)
        let applies = harness.commands("kubectl", "apply", "-f").map { $0[3] }
        #expect(applies.last == file, "\(applies)")
        #expect(try await harness.store.lastKnownGood(environment: "staging")?.tag == "v1.0.0")
    }

    @Test("deployer rollback uses the record too, and names the problem when a release predates records and its checkout is gone")
    func manualRollback() async throws {
        let harness = try PipelineHarness()
        try await harness.queue("v1.0.0", commit: PipelineHarness.sha("a"))
        await harness.worker.drain()
        try await harness.queue("v1.10.0", commit: PipelineHarness.sha("b"))
        await harness.worker.drain()
        let earlier = try #require(try await harness.store.releaseHistory(environment: "production", repository: "acme/intentops").last)
        try FileManager.default.removeItem(atPath: harness.configuration.workDirectory + "/jobs/1")
        let restored = try await harness.pipeline.rollBack(environment: "production", reason: "test")
        #expect(restored.tag == "v1.0.0")
        #expect(Self.read(harness.configuration.workDirectory + "/rollbacks/production/manifests.yaml") == earlier.manifests)

        // A release recorded before manifests were kept, whose checkout is gone: refused with what to do.
        let old = try PipelineHarness()
        try await old.queue("v2.0.0", commit: PipelineHarness.sha("c"))
        await old.worker.drain()
        try await old.queue("v2.10.0", commit: PipelineHarness.sha("d"))
        await old.worker.drain()
        // Records as an older deployer wrote them: no manifests.
        try await old.store.setLastKnownGood(environment: "production", LastKnownGood(jobID: 1, tag: "v2.0.0", commit: nil, images: [:]))
        try await old.store.setLastKnownGood(environment: "production", LastKnownGood(jobID: 2, tag: "v2.10.0", commit: nil, images: [:]))
        try FileManager.default.removeItem(atPath: old.configuration.workDirectory + "/jobs/1")
        await #expect(throws: StageError.nothingToRestore(environment: "production", tag: "v2.0.0")) {
            try await old.pipeline.rollBack(environment: "production", reason: "test")
        }
    }

    @Test("checkouts and local image tags past keep_releases are removed after a release; a retried tag's image is kept")
    func pruning() async throws {
        var custom = try PipelineHarness().configuration
        custom.keepReleases = 2
        let harness = try PipelineHarness(configuration: custom)
        let jobs = harness.configuration.workDirectory + "/jobs"
        for (index, tag) in ["v1.0.0", "v1.1.0", "v1.2.0"].enumerated() {
            try await harness.queue(tag, commit: PipelineHarness.sha(Character(String(index))))
            await harness.worker.drain()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: jobs).sorted() == ["2", "3"])
        let removals = harness.commands("docker", "image", "rm")
        #expect(removals == [["docker", "image", "rm", "registry.local/intentops/base:v1.0.0", "registry.local/intentops/base:000000000000",
                              "registry.local/intentops/api:v1.0.0", "registry.local/intentops/api:000000000000"]])

        // v1.3.0 fails its tests; its retry (job 5) succeeds: job 4's checkout goes, its tags stay (job 5 has them).
        harness.world.fail(when: "swift test", times: 1)
        try await harness.queue("v1.3.0", commit: PipelineHarness.sha("4"))
        await harness.worker.drain()
        _ = try await harness.store.retry(repository: "acme/intentops", tag: "v1.3.0")
        await harness.worker.drain()
        #expect(try await harness.status("v1.3.0") == "succeeded")
        let history = try await harness.store.jobs().map { "\($0.id) \($0.tag) \($0.status)" }
        #expect(try FileManager.default.contentsOfDirectory(atPath: jobs).sorted() == ["4", "5"], "\(history)")
        #expect(!harness.commands("docker", "image", "rm").contains { $0.contains("registry.local/intentops/api:v1.3.0") })
    }

    @Test("two repositories are refused: every tag is fetched from the one remote")
    func oneRepository() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-repos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = directory.appendingPathComponent("secret").path
        try "0123456789abcdef0123".write(toFile: secret, atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("deployer.json").path
        try #"{"repositories": ["acme/intentops", "other/fork"], "remote": "\#(directory.path)", "secret_files": ["\#(secret)"]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try DeployerConfiguration.load(path: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("repositories") && text.contains("one deployer per repository")
        }
    }
}
