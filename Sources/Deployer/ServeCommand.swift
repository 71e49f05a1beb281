import ArgumentParser
import DeployerCore
import Hummingbird
import Logging
import Observability
import ServiceLifecycle

/// `deployer serve`: the webhook receiver, the deployments API and the release worker.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive webhooks and release queued tags (POST /webhook, /healthz, /readyz, /metrics, /api/deployments).")

    @Option(help: "Configuration file (JSON; see README).")
    var config: String

    @Option(help: "Listen address (overrides the file and DEPLOYER_HOST).")
    var host: String?

    @Option(help: "Listen port (overrides the file and DEPLOYER_PORT).")
    var port: Int?

    func run() async throws {
        JSONLogHandler.bootstrap()
        var configuration = try DeployerConfiguration.load(path: config)
        if let host { configuration.host = host }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be in 1...65535, got \(port).") }
            configuration.port = port
        }
        let logger = Logger(label: "deployer")
        let store = try DeploymentStore(path: configuration.statePath)
        let lock = try WorkerLock(statePath: configuration.statePath)
        guard lock.tryAcquire() else {
            throw ValidationError("another deployer is releasing from \(configuration.statePath); run one `deployer serve` per state database.")
        }
        let metrics = DeployerMetrics()
        let runner = ProcessCommandRunner()
        let forge = configuration.forgeReporter(logger: logger)
        let pipeline = ReleasePipeline(configuration: configuration, store: store, runner: runner, metrics: metrics, forge: forge, logger: logger)
        let worker = ReleaseWorker(pipeline: pipeline, store: store, logger: logger)
        let application = try buildDeployerApplication(
            configuration: configuration, store: store, logger: logger, metrics: metrics, onQueued: { _ in worker.notify() })
        logger.info("deployer starting", metadata: [
            "deploy.address": "\(configuration.host):\(configuration.port)",
            "deploy.repositories": "\(configuration.repositories.joined(separator: ","))",
            "deploy.secrets": "\(configuration.secrets.count)",
        ])
        // SIGTERM/SIGINT: the worker stops first (the stage under way finishes, the job resumes on the next
        // start), then the receiver drains its requests.
        let group = ServiceGroup(configuration: .init(
            services: [application, ReleaseWorkerService(worker: worker, stopTimeout: .milliseconds(Int64(configuration.stopTimeoutSeconds * 1000)),
                                                         logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { runner.shutDown() }
        try await group.run()
        // The statuses already queued reach the forge before the process ends.
        await forge?.finish()
        logger.info("deployer stopped")
    }
}
