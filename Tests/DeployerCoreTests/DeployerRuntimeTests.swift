import Foundation
import Logging
import Testing
@testable import DeployerCore

/// The deployer's one composition root: configuration precedence, checked once, and the parts wired to
/// the dependencies it is given.
@Suite("Deployer runtime")
struct DeployerRuntimeTests {
    @Test("flags win over the environment, which wins over the file, and flags are validated with the rest")
    func precedence() throws {
        let paths = try ConfigurationTests.write(ConfigurationTests.minimal)
        let environment = ["DEPLOYER_PORT": "9999", "DEPLOYER_HOST": "0.0.0.0"]
        let flagged = try DeployerConfiguration.load(path: paths.config, environment: environment, overrides: .init(host: "127.0.0.2", port: 9100))
        #expect(flagged.port == 9100 && flagged.host == "127.0.0.2")
        let unflagged = try DeployerConfiguration.load(path: paths.config, environment: environment)
        #expect(unflagged.port == 9999 && unflagged.host == "0.0.0.0")
        #expect {
            _ = try DeployerConfiguration.load(path: paths.config, environment: [:], overrides: .init(port: 70_000))
        } throws: { error in
            "\(error)".contains("port") && "\(error)".contains("70000")
        }
    }

    @Test("the runtime runs queued releases through the runner, smoke checker and state it is given")
    func wiredToDoubles() async throws {
        let harness = try PipelineHarness()
        let world = FakeWorld()
        let runner = RecordingCommandRunner { world.respond($0) }
        let smoke = ScriptedSmokeChecker()
        let runtime = try DeployerRuntime(configuration: harness.configuration, dependencies: .init(runner: runner, smoke: smoke),
                                          logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        world.set(tag: "v1.0.0", commit: PipelineHarness.sha("a"))
        _ = try await runtime.store.recordDelivery(ReleaseRequest(provider: .manual, deliveryID: "d1", repository: "acme/intentops",
                                                                  tag: "v1.0.0", commit: nil, event: "manual"))
        let lock = try #require(try runtime.workerLock())
        #expect(try runtime.workerLock() == nil, "the lock is exclusive")
        try await runtime.runQueue()
        withExtendedLifetime(lock) {}
        #expect(try await runtime.store.jobs().first?.status == "succeeded")
        #expect(runner.commands.contains { $0.starts(with: ["kubectl", "apply", "-f"]) })
        #expect(smoke.urls == ["http://staging.local/healthz", "http://prod.local/healthz"])
    }
}
