import ArgumentParser
import DeployerCore
import Logging
import Observability

/// `deployer rollback ENV`: puts the previous healthy release back into an environment.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll ENV back to the release before the current one and mark the current version bad.")

    @Option(help: "Configuration file (JSON; see README).")
    var config: String

    @Option(help: "Why, recorded with the version marked bad.")
    var reason = "rolled back by an operator"

    @Argument(help: "The environment, as named in the configuration (e.g. production).")
    var environment: String

    func run() async throws {
        JSONLogHandler.bootstrap()
        let configuration = try DeployerConfiguration.load(path: config)
        guard configuration.environments.contains(where: { $0.name == environment }) else {
            throw ValidationError("no environment '\(environment)'; configured: \(configuration.environments.map(\.name).joined(separator: ", ")).")
        }
        let store = try DeploymentStore(path: configuration.statePath)
        let lock = try WorkerLock(statePath: configuration.statePath)
        guard lock.tryAcquire() else {
            throw ValidationError("a deployer is releasing from \(configuration.statePath); stop it or wait, so two rollouts never interleave.")
        }
        let pipeline = ReleasePipeline(configuration: configuration, store: store, runner: ProcessCommandRunner(), logger: Logger(label: "deployer"))
        do {
            let restored = try await pipeline.rollBack(environment: environment, reason: reason)
            print("\(environment) runs \(restored.tag) again.")
        } catch let error as StageError {
            print("rollback of \(environment) failed: \(error)")
            throw ExitCode(1)
        }
    }
}
