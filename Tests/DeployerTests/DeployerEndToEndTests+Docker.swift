import Foundation
import Testing
import TestSupport

/// A release through a real Docker engine and registry, when there are ones (CI starts both).
extension DeployerEndToEndTests {
    /// The Docker engine and registry `.ci/run` starts (`DEPLOYER_E2E_DOCKER`, `DEPLOYER_E2E_REGISTRY`),
    /// when they answer: the real-Docker test is skipped without them, and fails without them under CI.
    static let realDocker: (client: String, registry: String)? = {
        let environment = ProcessInfo.processInfo.environment
        let client = environment["DEPLOYER_E2E_DOCKER"] ?? "/usr/bin/docker"
        let registry = environment["DEPLOYER_E2E_REGISTRY"] ?? "127.0.0.1:5000"
        guard FileManager.default.isExecutableFile(atPath: client),
              let engine = try? DeployerHarness.run([client, "info", "--format", "{{.ServerVersion}}"]), engine.status == 0,
              let catalog = try? DeployerHarness.run(["curl", "-fsS", "http://\(registry)/v2/"]), catalog.status == 0 else { return nil }
        return (client, registry)
    }()

    /// The digest the registry serves for `repository:tag`, nil when it has no such tag.
    static func registryDigest(_ registry: String, _ repository: String, _ tag: String) throws -> String? {
        let head = try DeployerHarness.run(["curl", "-fsSI", "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
                                            "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                                            "-H", "Accept: application/vnd.oci.image.index.v1+json",
                                            "-H", "Accept: application/vnd.docker.distribution.manifest.list.v2+json",
                                            "http://\(registry)/v2/\(repository)/manifests/\(tag)"])
        guard head.status == 0 else { return nil }
        return head.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("docker-content-digest:") }
            .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
    }

    @Test("with a real Docker engine and registry: images are built, pushed and rolled out by digest; a failing gate pushes nothing",
          .enabled(if: Self.realDocker != nil || TestTools.ci,
                   "needs a Docker engine and a registry at DEPLOYER_E2E_REGISTRY (default 127.0.0.1:5000); .ci/run starts both"))
    func realDockerRelease() async throws {
        let docker = try #require(Self.realDocker, "CI must run the real Docker test, but no engine or registry answers")
        let harness = try DeployerHarness(realDocker: docker)
        try await harness.start()
        let failing = try harness.tag("v0.9.0", gate: "fail")
        let (_, refused) = try await harness.deliver(tag: "v0.9.0", object: failing)
        #expect(try await harness.waitForJob(try #require(refused["job_id"] as? Int)) == "failed")
        #expect(try Self.registryDigest(docker.registry, "intentops/api", "v0.9.0") == nil)

        let object = try harness.tag("v1.0.0")
        let (_, body) = try await harness.deliver(tag: "v1.0.0", object: object)
        let id = try #require(body["job_id"] as? Int)
        #expect(try await harness.waitForJob(id) == "succeeded", "\(harness.logText)")
        let api = try #require(try Self.registryDigest(docker.registry, "intentops/api", "v1.0.0"))
        let base = try #require(try Self.registryDigest(docker.registry, "intentops/base", "v1.0.0"))
        #expect(api.hasPrefix("sha256:") && base.hasPrefix("sha256:") && api != base)
        if let rendered = try Self.renderedProduction(harness) {
            #expect(rendered.contains("image: \(docker.registry)/intentops/api@\(api)"))
        }
        print("deployer e2e: real Docker release pushed \(docker.registry)/intentops/api@\(api)")
        #expect(harness.stop() == 0)
    }
}
