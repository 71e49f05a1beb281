import ArgumentParser

/// The `deployer` command: receives signed tag webhooks and releases them.
@main
struct DeployerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployer",
        abstract: "Receive HMAC-signed git tag webhooks and release them through tests, images and Kubernetes.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, DeployCommand.self, RetryCommand.self, RollbackCommand.self, UnblockCommand.self, HistoryCommand.self,
                      SignCommand.self]
    )
}
