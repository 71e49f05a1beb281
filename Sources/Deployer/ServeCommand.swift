import ArgumentParser
import DeployerCore
import Logging
import Observability

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
        // --host and --port are checked with the rest of the configuration.
        let configuration = try DeployerConfiguration.load(path: config, overrides: .init(host: host, port: port))
        let logger = Logger(label: "deployer")
        let runtime = try DeployerRuntime(configuration: configuration, dependencies: .live(configuration: configuration, logger: logger), logger: logger)
        guard let lock = try runtime.workerLock() else {
            throw ValidationError("another deployer is releasing from \(configuration.statePath); run one `deployer serve` per state database.")
        }
        logger.info("deployer starting", metadata: [
            "deploy.address": "\(configuration.host):\(configuration.port)",
            "deploy.repositories": "\(configuration.repositories.joined(separator: ","))",
            "deploy.secrets": "\(configuration.secrets.count)",
        ])
        defer { withExtendedLifetime(lock) {} }  // held while serving
        try await runtime.serve()
        logger.info("deployer stopped")
    }
}
