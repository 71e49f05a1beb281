import Foundation
import Logging
@testable import DeployerCore

/// A smoke checker that fails the first N checks of chosen URLs and records every URL asked about.
final class ScriptedSmokeChecker: SmokeChecker, @unchecked Sendable {
    private let lock = NSLock()
    private var checked: [String] = []
    private var failures: [String: Int] = [:]

    func fail(_ url: String, times: Int) { lock.lock(); failures[url] = times; lock.unlock() }
    var urls: [String] { lock.lock(); defer { lock.unlock() }; return checked }

    func check(url: String, timeout: Double) async -> String? {
        lock.withLock {
            checked.append(url)
            guard let left = failures[url], left > 0 else { return nil }
            failures[url] = left - 1
            return "HTTP 503"
        }
    }
}

/// A fake remote for the recording runner: which commit each tag resolves to, and which commands fail.
final class FakeWorld: @unchecked Sendable {
    private let lock = NSLock()
    var tags: [String: String] = [:]
    /// Annotated tags: tag name -> the commit the tag object peels to.
    var peeled: [String: String] = [:]
    /// Command fragments that fail, with how many more times (nil: always).
    var failing: [(fragment: String, times: Int?)] = []

    func set(tag: String, commit: String) { lock.lock(); tags[tag] = commit; lock.unlock() }
    func fail(when fragment: String, times: Int? = nil) { lock.lock(); failing.append((fragment, times)); lock.unlock() }

    /// Called with every command line before it is answered (outside the lock).
    var onCommand: (@Sendable (String) -> Void)?

    func respond(_ command: ShellCommand) -> CommandResult {
        let hook = lock.withLock { onCommand }
        hook?(command.argv.joined(separator: " "))
        lock.lock()
        defer { lock.unlock() }
        let line = command.argv.joined(separator: " ")
        if let index = failing.firstIndex(where: { line.contains($0.fragment) && $0.times != 0 }) {
            if let times = failing[index].times { failing[index].times = times - 1 }
            return CommandResult(exitCode: 1, output: "simulated failure (\(failing[index].fragment))")
        }
        if command.arguments.contains("rev-parse"), let ref = command.arguments.last {
            let name = ref.replacingOccurrences(of: "refs/tags/", with: "").replacingOccurrences(of: "^{commit}", with: "")
            guard let object = tags[name] else { return CommandResult(exitCode: 1) }
            let commit = ref.hasSuffix("^{commit}") ? peeled[name] ?? object : object
            return CommandResult(exitCode: 0, output: commit + "\n")
        }
        if command.arguments.first == "inspect", let reference = command.arguments.last {
            let repository = reference.split(separator: ":").first.map(String.init) ?? reference
            let digest = String(repeating: String(reference.utf8.count % 10), count: 64)
            return CommandResult(exitCode: 0, output: "\(repository)@sha256:\(digest)\n")
        }
        return CommandResult(exitCode: 0, output: "ok")
    }
}

/// A pipeline over a recording runner with the project's real stage list, images and environments.
struct PipelineHarness {
    let configuration: DeployerConfiguration
    let store: DeploymentStore
    let world = FakeWorld()
    let runner: RecordingCommandRunner
    let smoke = ScriptedSmokeChecker()
    let pipeline: ReleasePipeline
    let worker: ReleaseWorker

    init(remote: String = "/srv/git/intentops.git", secrets: [[UInt8]] = [], configuration custom: DeployerConfiguration? = nil,
         forge: ForgeReporter? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-pipeline-\(UUID().uuidString)").path
        var configuration = DeployerConfiguration(repositories: ["acme/intentops"], remote: remote, secretFiles: [])
        configuration.secrets = secrets
        configuration.statePath = directory + "/state.sqlite"
        configuration.workDirectory = directory + "/work"
        configuration.stages = [
            .init(name: "unit-tests", argv: ["swift", "test"], timeoutSeconds: 1800),
            .init(name: "model-gate", argv: ["scripts/model-gate.sh", "0.9"], timeoutSeconds: 600),
        ]
        configuration.images = [
            .init(name: "base", dockerfile: "dockerfiles/base.Dockerfile", repository: "registry.local/intentops/base", buildArgs: nil),
            .init(name: "api", dockerfile: "dockerfiles/api.Dockerfile", repository: "registry.local/intentops/api", buildArgs: ["BASE": "{image:base}"]),
        ]
        configuration.environments = [
            .init(name: "staging", overlay: "deploy/k8s/overlays/staging", namespace: "intentops-staging", deployments: ["intent-api"],
                  smokeURL: "http://staging.local/healthz", rolloutTimeoutSeconds: 60, smokeAttempts: 3, smokeIntervalSeconds: 0),
            .init(name: "production", overlay: "deploy/k8s/overlays/production", namespace: "intentops", deployments: ["intent-api"],
                  smokeURL: "http://prod.local/healthz", rolloutTimeoutSeconds: 60, smokeAttempts: 3, smokeIntervalSeconds: 0),
        ]
        if let custom {
            configuration.stages = custom.stages
            configuration.images = custom.images
            configuration.environments = custom.environments
            configuration.dockerBuildFlags = custom.dockerBuildFlags
            configuration.keepReleases = custom.keepReleases
        }
        self.configuration = configuration
        store = try DeploymentStore(path: configuration.statePath)
        let world = self.world
        runner = RecordingCommandRunner { world.respond($0) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        pipeline = ReleasePipeline(configuration: configuration, store: store, runner: runner, smoke: smoke, forge: forge, logger: logger)
        worker = ReleaseWorker(pipeline: pipeline, store: store, logger: logger)
    }

    static func sha(_ seed: Character) -> String { String(repeating: seed, count: 40) }

    /// A new worker on the same state, runner and fakes: the deployer after a restart.
    func restarted() -> ReleaseWorker {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline = ReleasePipeline(configuration: configuration, store: store, runner: runner, smoke: smoke, logger: logger)
        return ReleaseWorker(pipeline: pipeline, store: store, logger: logger)
    }

    /// Queues `tag` as a webhook would, with the commit it points to in the fake remote.
    @discardableResult
    func queue(_ tag: String, commit: String, delivery: String? = nil) async throws -> DeliveryOutcome {
        world.set(tag: tag, commit: commit)
        return try await store.recordDelivery(ReleaseRequest(provider: .github, deliveryID: delivery ?? "d-\(tag)", repository: "acme/intentops",
                                                             tag: tag, commit: commit, event: "push"))
    }

    func status(_ tag: String) async throws -> String? {
        try await store.jobs().first { $0.tag == tag }?.status
    }

    /// Commands whose argv contains every one of `words`.
    func commands(_ words: String...) -> [[String]] {
        runner.commands.filter { argv in words.allSatisfy { word in argv.contains { $0.contains(word) } } }
    }
}
