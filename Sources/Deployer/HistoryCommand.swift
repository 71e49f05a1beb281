import ArgumentParser
import DeployerCore
import Foundation

/// `deployer history`: the recent release jobs from the state database.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List recent release jobs.")

    @Option(help: "Configuration file (for the state database's path).")
    var config: String

    @Option(help: "How many jobs to list.")
    var limit = 20

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let configuration = try DeployerConfiguration.load(path: config)
        let store = try DeploymentStore(path: configuration.statePath)
        let jobs = try await store.jobs(limit: max(1, min(limit, 1000)))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(jobs), as: UTF8.self))
            return
        }
        print("id    tag                  status       stage            created")
        for job in jobs {
            let columns = [String(job.id), job.tag, job.status, job.stage ?? "-", job.createdAt]
            let widths = [5, 20, 12, 16, 0]
            print(zip(columns, widths).map { $1 > 0 ? $0.padding(toLength: $1, withPad: " ", startingAt: 0) : $0 }.joined(separator: " "))
        }
    }
}
