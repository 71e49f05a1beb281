import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// What the deployer talks to outside its own process: commands (git, docker, kubectl), smoke checks and
/// the forge. `live` gives the real ones; tests pass recording doubles.
public struct DeployerDependencies: Sendable {
    public var runner: any CommandRunner
    public var smoke: any SmokeChecker
    public var forge: ForgeReporter?

    public init(runner: any CommandRunner, smoke: any SmokeChecker = HTTPSmokeChecker(), forge: ForgeReporter? = nil) {
        self.runner = runner
        self.smoke = smoke
        self.forge = forge
    }

    /// Processes, HTTP smoke checks, and the configured forge (if any).
    public static func live(configuration: DeployerConfiguration, logger: Logger) -> DeployerDependencies {
        DeployerDependencies(runner: ProcessCommandRunner(), forge: configuration.forgeReporter(logger: logger))
    }
}

/// The one place the deployer is wired: a validated configuration (flags > environment > file >
/// defaults, see `DeployerConfiguration.load`) and its dependencies give the state, the pipeline and the
/// worker that `deployer serve`, `deploy`, `retry` and `rollback` all run on.
public struct DeployerRuntime: Sendable {
    public let configuration: DeployerConfiguration
    public let dependencies: DeployerDependencies
    public let store: DeploymentStore
    public let metrics: DeployerMetrics
    public let pipeline: ReleasePipeline
    public let worker: ReleaseWorker
    let logger: Logger

    public init(configuration: DeployerConfiguration, dependencies: DeployerDependencies, logger: Logger) throws {
        self.configuration = configuration
        self.dependencies = dependencies
        self.logger = logger
        store = try DeploymentStore(path: configuration.statePath)
        metrics = DeployerMetrics()
        pipeline = ReleasePipeline(configuration: configuration, store: store, runner: dependencies.runner, smoke: dependencies.smoke,
                                   metrics: metrics, forge: dependencies.forge, logger: logger)
        worker = ReleaseWorker(pipeline: pipeline, store: store, logger: logger)
    }

    /// The lock that lets one process run releases from this state; nil when another process holds it.
    /// Keep it alive as long as releases run.
    public func workerLock() throws -> WorkerLock? {
        let lock = try WorkerLock(statePath: configuration.statePath)
        return lock.tryAcquire() ? lock : nil
    }

    /// Runs the queue here until it is empty (no server runs on this state; the caller holds the worker
    /// lock): what a crash left half-done first, then every queued job; the forge statuses are flushed.
    public func runQueue() async throws {
        try await worker.recoverInterruptedJobs()
        await worker.drain()
        await dependencies.forge?.finish()
    }

    /// `deployer serve` (the caller holds the worker lock): the receiver and the release worker as the
    /// services of one group. SIGTERM or SIGINT stops the worker first (the stage under way gets
    /// `stop_timeout_seconds`, the job resumes on the next start), then the receiver drains its requests;
    /// the forge statuses already queued are sent before this returns.
    public func serve() async throws {
        let worker = self.worker
        let application = try buildDeployerApplication(configuration: configuration, store: store, logger: logger, metrics: metrics,
                                                       onQueued: { _ in worker.notify() })
        let stopTimeout = Duration.milliseconds(Int64(configuration.stopTimeoutSeconds * 1000))
        let group = ServiceGroup(configuration: .init(
            services: [application, ReleaseWorkerService(worker: worker, stopTimeout: stopTimeout, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { dependencies.runner.shutDown() }
        try await group.run()
        await dependencies.forge?.finish()
    }
}
