import ArgumentParser
import DeployerCore
import Logging
import Observability

/// `deployer rollback ENV`: puts the previous healthy release back into an environment.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll ENV back to the release before the current one and mark the current version bad.",
        discussion: """
            Works while `deployer serve` runs: the rollback is queued and its worker runs it; this waits for \
            the outcome. With --server, through the running deployer's admin API, from any machine.
            """)

    @OptionGroup var target: ActionTarget

    @Option(help: "Why, recorded with the version marked bad.")
    var reason = "rolled back by an operator"

    @Argument(help: "The environment, as named in the configuration (e.g. production).")
    var environment: String

    func run() async throws {
        JSONLogHandler.bootstrap()
        if let client = try target.client() {
            do {
                let queued = try await client.post("/api/rollback", .init(environment: environment, reason: reason))
                let id = queued["job_id"] as? String ?? ""
                print("rollback job \(id) queued on \(client.server); waiting for it to end")
                let ended = try await client.waitForJob(id)
                guard ended["status"] as? String == "succeeded" else {
                    print("rollback of \(environment) failed: \(ended["error"] as? String ?? ended["status"] as? String ?? "unknown")")
                    throw ExitCode(1)
                }
                print("\(ended["error"] as? String ?? "\(environment) rolled back").")
            } catch let error as AdminClientError {
                throw ActionTarget.fail(error)
            }
            return
        }
        let context = try OperatorContext(config: target.config ?? "")
        guard context.configuration.environments.contains(where: { $0.name == environment }) else {
            throw ValidationError("no environment '\(environment)'; configured: \(context.configuration.environments.map(\.name).joined(separator: ", ")).")
        }
        // Queued like a release: a running `deployer serve` runs it between releases, so an emergency
        // rollback never needs the receiver stopped; with none running, this runs it.
        let id = try await context.store.queueRollback(repository: context.repository, environment: environment, reason: reason)
        let job = try await context.finish(id)
        guard job?.status == "succeeded" else {
            print("rollback of \(environment) failed: \(job?.error ?? job?.status ?? "unknown")")
            throw ExitCode(1)
        }
        print("\(job?.error ?? "\(environment) rolled back").")
    }
}
